import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchCognitoLocal } from './cognito-local-launcher';
import { nodeProcessStarter, type ProcessStarter, type StartOptions } from './process-starter';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'starter-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('launchCognitoLocal with a process starter', () => {
  it('starts cognito-local through the given starter, in its folder, with HOST and PORT', async () => {
    const calls: { script: string; options: StartOptions }[] = [];
    const recording: ProcessStarter = (script, options) => {
      calls.push({ script, options });
      return nodeProcessStarter()(script, options);
    };
    const running = await launchCognitoLocal({ cwd, start: recording });
    try {
      expect(calls).toHaveLength(1);
      const [call] = calls;
      expect(call?.script).toMatch(/cognito-local[\\/]lib[\\/]bin[\\/]start\.js$/);
      expect(call?.options.cwd).toBe(cwd);
      expect(call?.options.env['HOST']).toBe('127.0.0.1');
      expect(call?.options.env['PORT']).toBe(String(running.port));
      // Nothing relies on running an Electron binary as Node any more.
      expect(call?.options.env['ELECTRON_RUN_AS_NODE']).toBeUndefined();
      expect(running.running()).toBe(true);
      expect(running.pid).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
    expect(running.running()).toBe(false);
  });

  it('reports an exit before start-up with the code', async () => {
    await expect(launchCognitoLocal({ cwd, entry: join(cwd, 'missing.js') })).rejects.toThrow(
      /did not start.*exited \(code 1\)/s,
    );
  });
});
