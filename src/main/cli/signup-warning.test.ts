/**
 * `signup` when Cognito created the user but the log could not be written: exit 0 (the user
 * exists), the warning on stderr, and in --json as a `warning` key.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SignUpResult } from '@shared/contract';
import type { CliServices } from './command';
import { runCli } from './run-cli';

const WARNING = 'Cognito answered as shown, but this attempt is not in the log: disk full.';

async function signup(json: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const result: SignUpResult = {
    outcome: 'created',
    userSub: 'sub-1',
    userConfirmed: false,
    warning: WARNING,
  };
  const services: CliServices = {
    handlers: {} as CliServices['handlers'],
    signUp: { submit: () => Promise.resolve(result), submitWithConnection: () => Promise.resolve(result) },
    imports: {} as CliServices['imports'],
    close: () => {},
  };
  const stdin = new PassThrough();
  stdin.end('');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const argv = ['signup', '--client-id', 'c1', '--region', 'eu-west-1', '--username', 'u1'];
  argv.push('--password-env', 'PW', ...(json ? ['--json'] : []));
  const code = await runCli(
    argv,
    { stdin, stdout, stderr, env: { PW: 'Corr3ct-Horse-Battery' } },
    { home: '/nonexistent/signup-desk-test', secrets: {} as never, createServices: () => services },
  );
  return { code, stdout: out, stderr: err };
}

describe('signup with a warning', () => {
  it('exits 0 and prints the warning on stderr', async () => {
    const run = await signup(false);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created "u1" (sub sub-1)');
    expect(run.stderr).toBe(`Warning: ${WARNING}\n`);
  });

  it('puts the warning in the --json object', async () => {
    const run = await signup(true);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      outcome: 'created',
      userSub: 'sub-1',
      userConfirmed: false,
      warning: WARNING,
    });
    expect(run.stderr).toContain('Warning:');
  });
});
