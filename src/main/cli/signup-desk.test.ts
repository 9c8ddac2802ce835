/**
 * The real `signup-desk` bin as a child process, against cognito-local behind engineer B's
 * SecretHash-checking proxy (test/cognito/cognito-proxy.ts), with the real keychain (run under
 * scripts/with-keyring.sh) and a fresh data folder. Afterwards the data folder is searched for the
 * password and the client secret.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognitoProxy, type CognitoProxy } from '../../../test/cognito/cognito-proxy';
import { createPoolWithClient, getUser, TEST_REGION, type TestPool } from '../../../test/cognito/pool-admin';
import { directConnection, filesUnder, json, runBin as runBinIn, type Run } from '../../../test/support/cli';

const PASSWORD = 'Pw-unique-7c1e9f2a!';
const WRONG_SECRET = 'wrong-secret-0123456789abcdefghijklmnopqrstuvwxyzABCD';

let proxy: CognitoProxy;
let pool: TestPool;
let openPool: TestPool;
let home: string;

function runBin(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<Run> {
  return runBinIn(args, {
    home,
    env: { TEST_PASSWORD: PASSWORD, ...options.env },
    ...(options.stdin !== undefined && { stdin: options.stdin }),
  });
}

function signUpArgs(username: string, ...extra: string[]): string[] {
  return ['signup', '--profile', 'qa', '--username', username, '--password-env', 'TEST_PASSWORD', ...extra];
}

beforeAll(async () => {
  proxy = await startCognitoProxy();
  pool = await createPoolWithClient(proxy.endpoint, { generateSecret: true });
  openPool = await createPoolWithClient(proxy.endpoint, { generateSecret: false });
  home = mkdtempSync(join(tmpdir(), 'signup-desk-cli-'));
});

afterAll(async () => {
  await proxy?.stop();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

// Each case starts the bin a few times (~1–3 s each on a busy machine): allow for it.
describe(
  'signup-desk (real bin, cognito-local behind the SecretHash proxy, real keychain)',
  { timeout: 120_000 },
  () => {
    it('prints help and refuses to run without a command', async () => {
      const help = await runBin(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/signup +sign one user up/);
      expect(help.stdout).toMatch(/profiles/);
      const signupHelp = await runBin(['signup', '--help']);
      expect(signupHelp.code).toBe(0);
      expect(signupHelp.stdout).toContain('--password-stdin');
      const none = await runBin([]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('Usage: signup-desk');
      expect(none.stderr).not.toContain('ExperimentalWarning');
    });

    it('adds a profile and stores its secret from stdin; listings never show the secret', async () => {
      const add = await runBin([
        'profiles',
        'add',
        '--name',
        'qa',
        '--region',
        TEST_REGION,
        '--user-pool-id',
        pool.poolId,
        '--client-id',
        pool.clientId,
        '--endpoint',
        proxy.endpoint,
      ]);
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      // No Secret Service reachable: a clear error and exit 3, never a plaintext fallback.
      const noKeychain = await runBin(['profiles', 'set-secret', 'qa'], {
        stdin: `${pool.clientSecret}\n`,
        env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      });
      expect(noKeychain.code).toBe(3);
      expect(noKeychain.stderr).toContain('KeychainUnavailable');
      const secret = await runBin(['profiles', 'set-secret', 'qa'], { stdin: `${pool.clientSecret}\n` });
      expect(secret.stderr).toBe('');
      expect(secret.code).toBe(0);
      const list = await runBin(['profiles', 'list', '--json']);
      expect(list.code).toBe(0);
      const state = json(list) as { profiles: Array<{ name: string; hasSecret: boolean }> };
      expect(state.profiles).toEqual([expect.objectContaining({ name: 'qa', hasSecret: true })]);
      expect(list.stdout).not.toContain(pool.clientSecret);
      const text = await runBin(['profiles', 'list']);
      expect(text.stdout).toMatch(/qa .*keychain/);
    });

    it('refuses a profile with a malformed field (exit 2, the field message)', async () => {
      const bad = await runBin([
        'profiles',
        'add',
        '--name',
        'bad',
        '--region',
        'nowhere',
        '--user-pool-id',
        pool.poolId,
        '--client-id',
        pool.clientId,
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('A region looks like eu-west-1.');
      const duplicate = await runBin([
        'profiles',
        'add',
        '--name',
        'QA',
        '--region',
        TEST_REGION,
        '--user-pool-id',
        pool.poolId,
        '--client-id',
        pool.clientId,
      ]);
      expect(duplicate.code).toBe(2);
      expect(duplicate.stderr).toContain('already exists');
    });

    it('creates a user (exit 0, JSON), then reports the same username as exists (exit 1)', async () => {
      const created = await runBin(signUpArgs('alice', '--attribute', 'email=alice@example.com', '--json'));
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const body = json(created);
      expect(body).toMatchObject({ outcome: 'created', userConfirmed: false });
      expect(body['userSub']).toMatch(/^[0-9a-f-]{36}$/);
      expect(body['error']).toBeUndefined();
      // cognito-local ignores AutoVerifiedAttributes, so it sends no CodeDeliveryDetails (output.test.ts covers them).
      expect(await getUser(proxy.endpoint, pool.poolId, 'alice')).toMatchObject({
        attributes: expect.objectContaining({ email: 'alice@example.com' }),
      });

      const again = await runBin(signUpArgs('alice', '--attribute', 'email=alice@example.com', '--json'));
      expect(again.code).toBe(1);
      expect(json(again)).toMatchObject({ outcome: 'exists', error: { name: 'UsernameExistsException' } });
    });

    it('prints readable lines without --json', async () => {
      const created = await runBin(signUpArgs('bob'));
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Created "bob"');
      const again = await runBin(signUpArgs('bob'));
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('UsernameExistsException');
      expect(again.stdout).toBe('');
    });

    it('rejects invalid input before sending it (exit 2, field messages)', async () => {
      const calls = proxy.stats().signUpCalls;
      const invalid = await runBin(signUpArgs('carol', '--attribute', 'department=qa', '--json'));
      expect(invalid.code).toBe(2);
      const body = json(invalid);
      expect(body['outcome']).toBe('invalid');
      expect(body['fieldErrors']).toEqual({
        'attributes.0.name': expect.stringContaining('custom:department'),
      });
      const text = await runBin(signUpArgs('carol', '--attribute', 'phone_number=4.41235E+11'));
      expect(text.code).toBe(2);
      expect(text.stderr).toContain('scientific notation');
      expect(proxy.stats().signUpCalls).toBe(calls);
    });

    it('reports an unknown profile as a configuration problem (exit 3)', async () => {
      const missing = await runBin([
        'signup',
        '--profile',
        'nope',
        '--username',
        'dave',
        '--password-env',
        'TEST_PASSWORD',
        '--json',
      ]);
      expect(missing.code).toBe(3);
      expect(json(missing)).toMatchObject({ outcome: 'error', error: { name: 'ProfileNotFound' } });
      const text = await runBin(['profiles', 'use', 'nope']);
      expect(text.code).toBe(3);
      expect(text.stderr).toContain('There is no profile named "nope"');
    });

    it('refuses a --password flag with an explanation and without echoing it', async () => {
      for (const args of [
        ['signup', '--profile', 'qa', '--username', 'erin', '--password', PASSWORD],
        ['signup', '--profile', 'qa', '--username', 'erin', `--password=${PASSWORD}`],
      ]) {
        const run = await runBin(args);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('--password-env');
        expect(run.stderr).toContain('--password-stdin');
        expect(run.stderr).not.toContain(PASSWORD);
      }
      const unknown = await runBin(['log', '--frobnicate']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown option --frobnicate');
    });

    it('signs up without a profile: password on stdin, secret from an environment variable', async () => {
      const created = await runBin(
        [
          'signup',
          ...directConnection(proxy.endpoint, pool),
          '--username',
          'frank',
          '--password-stdin',
          '--client-metadata',
          'source=qa',
          '--json',
        ],
        { stdin: `${PASSWORD}\n`, env: { TEST_SECRET: pool.clientSecret ?? '' } },
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(json(created)['outcome']).toBe('created');

      const open = await runBin(
        ['signup', '--client-id', openPool.clientId, '--region', TEST_REGION, '--endpoint', proxy.endpoint],
        {},
      );
      expect(open.code).toBe(2); // no username, no password

      const openCreated = await runBin(
        [
          'signup',
          ...directConnection(proxy.endpoint, { clientId: openPool.clientId, clientSecret: null }),
          '--username',
          'gina',
          '--password-env',
          'TEST_PASSWORD',
        ],
        {},
      );
      expect(openCreated.code).toBe(0);
      expect(await getUser(proxy.endpoint, openPool.poolId, 'gina')).not.toBeNull();
    });

    it('reports a wrong client secret as NotAuthorizedException (exit 3)', async () => {
      const wrong = await runBin(
        [
          'signup',
          ...directConnection(proxy.endpoint, { clientId: pool.clientId, clientSecret: pool.clientSecret }),
          '--username',
          'harry',
          '--password-env',
          'TEST_PASSWORD',
          '--json',
        ],
        { env: { TEST_SECRET: WRONG_SECRET } },
      );
      expect(wrong.code).toBe(3);
      const body = json(wrong);
      expect(body).toMatchObject({ outcome: 'error', error: { name: 'NotAuthorizedException' } });
      // Cognito's SignUp wording: "SecretHash does not match for the client: <id>" (docs/cognito.md#secret-hash).
      expect(String((body['error'] as { message: string }).message)).toMatch(/secret ?hash/i);
      expect((body['error'] as { hint?: string }).hint).toMatch(/check this profile's client secret/);
      expect(await getUser(proxy.endpoint, pool.poolId, 'harry')).toBeNull();
    });

    it('shows the attempts in the log, newest first, filterable by outcome', async () => {
      const log = await runBin(['log', '--json', '--limit', '50']);
      expect(log.code).toBe(0);
      const entries = log.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { id: number; source: string; username: string; outcome: string });
      const ids = entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(entries.every((e) => e.source === 'cli')).toBe(true);
      const seen = entries.map((e) => `${e.username}:${e.outcome}`);
      expect(seen).toEqual(
        expect.arrayContaining([
          'alice:created',
          'alice:exists',
          'bob:created',
          'frank:created',
          'harry:error',
        ]),
      );
      // The last attempt (the wrong secret) is the newest entry.
      expect(entries[0]).toMatchObject({
        username: 'harry',
        outcome: 'error',
        errorName: 'NotAuthorizedException',
      });

      const created = await runBin(['log', '--outcome', 'created', '--json']);
      const createdNames = created.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { username: string; outcome: string }).username);
      expect(createdNames.sort()).toEqual(['alice', 'bob', 'frank', 'gina']);

      const limited = await runBin(['log', '--limit', '2']);
      expect(limited.code).toBe(0);
      expect(limited.stdout.trim().split('\n')).toHaveLength(3); // header + 2
      expect((await runBin(['log', '--outcome', 'maybe'])).code).toBe(2);
    });

    it('switches the active profile and removes the secret and the profile', async () => {
      expect((await runBin(['profiles', 'use', 'qa'])).code).toBe(0);
      let state = json(await runBin(['profiles', 'list', '--json'])) as {
        activeId: string | null;
        profiles: Array<{ id: string; hasSecret: boolean }>;
      };
      expect(state.activeId).toBe(state.profiles[0]?.id);

      expect((await runBin(['profiles', 'remove-secret', 'qa'])).code).toBe(0);
      state = json(await runBin(['profiles', 'list', '--json'])) as typeof state;
      expect(state.profiles[0]?.hasSecret).toBe(false);

      // Without its secret the profile's client fails the SecretHash check: a configuration problem.
      const noSecret = await runBin(signUpArgs('ivy', '--json'));
      expect(noSecret.code).toBe(3);

      expect((await runBin(['profiles', 'remove', 'qa'])).code).toBe(0);
      state = json(await runBin(['profiles', 'list', '--json'])) as typeof state;
      expect(state.profiles).toEqual([]);
    });

    it('left neither the password nor the client secret in the data folder', () => {
      const files = filesUnder(home);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = readFileSync(file);
        expect(bytes.includes(PASSWORD), file).toBe(false);
        expect(bytes.includes(pool.clientSecret ?? '\0'), file).toBe(false);
        expect(bytes.includes(WRONG_SECRET), file).toBe(false);
      }
    });
  },
);
