import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from './secret-store';

const run = promisify(execFile);
const PROBE = resolve(__dirname, '../../../test/support/keychain-probe.ts');
const SECRET = 'probe-s3cret-VALUE-123';

interface Step {
  op: string;
  ok: boolean;
  value?: string | null;
  name?: string;
  message?: string;
  hint?: string;
}

/** Runs the probe in a child with the given environment (and optional shell prefix). */
async function probe(env: NodeJS.ProcessEnv, prefix: string[] = []): Promise<Step[]> {
  const argv = [...prefix, process.execPath, '--import', 'tsx', PROBE, `probe-${process.pid}`];
  const { stdout } = await run(argv[0]!, argv.slice(1), {
    env: { ...env, PROBE_SECRET: SECRET },
    cwd: resolve(__dirname, '../../..'),
    timeout: 25_000,
  });
  const json = stdout.slice(stdout.indexOf('['));
  return JSON.parse(json) as Step[];
}

// These run inside scripts/with-keyring.sh (a private bus with an unlocked gnome-keyring).
describe('keytar secret store (real keyring)', () => {
  const service = `SignUp Desk test ${process.pid}`;
  const store = createKeytarSecretStore(service);

  it('stores, reads, replaces and removes a secret', async () => {
    expect(await store.get('p1')).toBeNull();
    await store.set('p1', 'first-secret');
    await store.set('p2', 'other-secret');
    expect(await store.get('p1')).toBe('first-secret');
    await store.set('p1', 'second-secret');
    expect(await store.get('p1')).toBe('second-secret');
    expect(await store.get('p2')).toBe('other-secret');
    await store.remove('p1');
    expect(await store.get('p1')).toBeNull();
    expect(await store.get('p2')).toBe('other-secret');
    // Removing what is not there is not an error.
    await store.remove('p1');
    await store.remove('p2');
    expect(await store.get('p2')).toBeNull();
  });

  it('keeps secrets of different services apart', async () => {
    const other = createKeytarSecretStore(`${service} other`);
    await store.set('shared-id', 'mine');
    expect(await other.get('shared-id')).toBeNull();
    await store.remove('shared-id');
  });
});

describe('keytar secret store without a usable keychain', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'keychain-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('says "no OS keychain" when there is no session bus, and never falls back', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scratch, 'no-such-bus')}`,
    };
    delete env['DISPLAY'];
    const steps = await probe(env);
    for (const step of steps) {
      expect(step.ok, JSON.stringify(step)).toBe(false);
      expect(step.name).toBe('KeychainUnavailable');
      expect(step.message).toMatch(/No OS keychain is available/);
      expect(step.hint).toMatch(/Secret Service/);
      expect(JSON.stringify(step)).not.toContain(SECRET);
    }
  });

  it('says "keychain locked" when the keyring exists but is locked', async () => {
    const home = join(scratch, 'locked');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_RUNTIME_DIR: home,
    };
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    delete env['DISPLAY'];
    // 1. Create a "login" keyring (unlocked with a password), in its own bus.
    await run(
      'dbus-run-session',
      [
        '--',
        'bash',
        '-c',
        'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "$@"',
        '_',
      ].concat(process.execPath, '--import', 'tsx', PROBE, 'create'),
      { env, cwd: resolve(__dirname, '../../..'), timeout: 25_000 },
    );
    // 2. A new session whose daemon is started WITHOUT --unlock: the keyring stays locked and no
    //    prompt can be shown (no display).
    const steps = await probe(env, [
      'dbus-run-session',
      '--',
      'bash',
      '-c',
      'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$@"',
      '_',
    ]);
    const [set, get, remove] = steps;
    expect(set).toMatchObject({ op: 'set', ok: false, name: 'KeychainUnavailable' });
    expect(set!.message).toMatch(/keychain is locked/);
    expect(set!.hint).toMatch(/Unlock your keyring/);
    // A locked keyring answers reads with "nothing there": the sign-up service turns that into
    // KeychainUnavailable when the profile says it has a secret (see sign-up-service tests).
    expect(get).toMatchObject({ op: 'get', ok: true, value: null });
    expect(remove!.op).toBe('remove');
    expect(JSON.stringify(steps)).not.toContain(SECRET);
  });
});
