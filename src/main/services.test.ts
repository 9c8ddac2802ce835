import { AdminGetUserCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile, SignUpResult } from '@shared/contract';
import { createCognitoClient } from './cognito/client';
import { dispatch } from './ipc/dispatch';
import { createKeytarSecretStore } from './keychain/secret-store';
import { createServices, type Services } from './services';
import { startCognitoLocal, type CognitoLocalHandle } from '../../test/support/cognito-local';

const PASSWORD = 'Unique-Passw0rd-7f3e9a';

let local: CognitoLocalHandle;
let home: string;
let services: Services;
let secret: string;
let userPoolId: string;

beforeAll(async () => {
  local = await startCognitoLocal();
  home = mkdtempSync(join(tmpdir(), 'services-'));
  services = createServices({
    home,
    secrets: createKeytarSecretStore(`SignUp Desk services test ${process.pid}`),
  });
});
afterAll(async () => {
  await services?.close();
  await local?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function call<T>(channel: string, request?: unknown): Promise<T> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (!envelope.ok) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

const form = (username: string, password = PASSWORD) => ({
  username,
  password,
  attributes: [{ name: 'email', value: `${username}@example.com` }],
  validationData: [],
  clientMetadata: [],
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('services through dispatch, end to end against cognito-local', () => {
  let profile: Profile;

  it('saves a profile and its secret; the secret never comes back', async () => {
    const app = await local.createClient({ secret: true });
    secret = app.secret!;
    userPoolId = app.userPoolId;
    profile = await call<Profile>('profiles:save', {
      name: 'Local pool',
      region: local.region,
      userPoolId: app.userPoolId,
      clientId: app.clientId,
      endpoint: local.endpoint,
    });
    const withSecret = await call<Profile>('profiles:setSecret', { id: profile.id, secret });
    expect(withSecret.hasSecret).toBe(true);
    const state = await call<{ profiles: Profile[]; activeId: string }>('profiles:list');
    expect(state.activeId).toBe(profile.id);
    expect(JSON.stringify(state)).not.toContain(secret);
  });

  it('creates the user in the pool', async () => {
    const result = await call<SignUpResult>('signUp:submit', { profileId: profile.id, input: form('kate') });
    expect(result.outcome).toBe('created');
    const admin = createCognitoClient({ region: local.region, endpoint: local.endpoint });
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'kate' }));
    expect(user.UserAttributes?.find((a) => a.Name === 'sub')?.Value).toBe(result.userSub);
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe('kate@example.com');

    const entry = await call<{ source: string; username: string; outcome: string }>('log:get', {
      id: result.logId,
    });
    expect(entry).toMatchObject({ source: 'form', username: 'kate', outcome: 'created' });
  });

  it('reports the second submit as exists', async () => {
    const result = await call<SignUpResult>('signUp:submit', { profileId: profile.id, input: form('kate') });
    expect(result).toMatchObject({ outcome: 'exists', error: { name: 'UsernameExistsException' } });
  });

  it('answers invalid input with field messages and sends nothing', async () => {
    const result = await call<SignUpResult>('signUp:submit', {
      profileId: profile.id,
      input: { ...form('no spaces allowed'), attributes: [{ name: 'phone_number', value: '4.41235E+11' }] },
    });
    expect(result.outcome).toBe('invalid');
    expect(result.fieldErrors?.['username']).toMatch(/whitespace/);
    expect(result.fieldErrors?.['attributes.0.value']).toMatch(/scientific notation/);
    const admin = createCognitoClient({ region: local.region, endpoint: local.endpoint });
    const users = await admin.send(new ListUsersCommand({ UserPoolId: userPoolId }));
    expect((users.Users ?? []).map((u) => u.Username)).toEqual(['kate']);
  });

  it('answers a malformed request with the InvalidRequest envelope', async () => {
    const envelope = await dispatch(services.handlers, 'signUp:submit', {
      profileId: profile.id,
      input: { username: 5 },
    });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.name).toBe('InvalidRequest');
    expect(envelope.error.fields?.['input.username']).toBeDefined();
    const unknown = await dispatch(services.handlers, 'profiles:list', { extra: true });
    expect(unknown).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
  });

  it('answers domain errors in the envelope', async () => {
    const envelope = await dispatch(services.handlers, 'profiles:setActive', { id: 'nope' });
    expect(envelope).toMatchObject({ ok: false, error: { name: 'ProfileNotFound' } });
  });

  it('pages the log through log:query, newest first', async () => {
    const page = await call<{ entries: Array<{ outcome: string }>; nextCursor: number | null }>('log:query', {
      limit: 2,
    });
    expect(page.entries.map((e) => e.outcome)).toEqual(['invalid', 'exists']);
    const next = await call<{ entries: Array<{ outcome: string }>; nextCursor: number | null }>('log:query', {
      limit: 2,
      before: page.nextCursor,
    });
    expect(next.entries.map((e) => e.outcome)).toEqual(['created']);
    expect(next.nextCursor).toBeNull();
    const filtered = await call<{ entries: unknown[] }>('log:query', { text: 'kate', outcomes: ['exists'] });
    expect(filtered.entries).toHaveLength(1);
  });

  it('leaves neither the secret nor the password in any file of the data folder', () => {
    // Checkpoint the WAL so the database file holds everything written.
    services.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const files = filesUnder(home);
    expect(files.some((f) => f.endsWith('profiles.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD)), file).toBe(false);
      // And the username is there (the check can find strings in these files).
      if (file.endsWith('.sqlite'))
        expect(bytes.includes(Buffer.from('kate@example.com')) || bytes.includes(Buffer.from('kate'))).toBe(
          true,
        );
    }
  });

  it('keeps the data folder private: folders 0700, files 0600, the database and its WAL included', () => {
    services.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    const mode = (path: string): number => statSync(path).mode & 0o777;
    expect(mode(home)).toBe(0o700);
    const files = filesUnder(home);
    expect(files.some((f) => f.endsWith('.sqlite-wal'))).toBe(true);
    for (const file of files) expect(mode(file), file).toBe(0o600);
  });

  it('tightens a data folder an earlier version left readable to others', async () => {
    const old = join(tmpdir(), `services-old-${process.pid}`);
    mkdirSync(join(old, 'reports'), { recursive: true });
    writeFileSync(join(old, 'profiles.json'), '{"version":1,"activeId":null,"profiles":[]}\n');
    chmodSync(old, 0o755);
    chmodSync(join(old, 'reports'), 0o755);
    chmodSync(join(old, 'profiles.json'), 0o644);
    const again = createServices({
      home: old,
      secrets: createKeytarSecretStore(`SignUp Desk services old ${process.pid}`),
    });
    try {
      expect(statSync(old).mode & 0o777).toBe(0o700);
      expect(statSync(join(old, 'reports')).mode & 0o777).toBe(0o700);
      expect(statSync(join(old, 'profiles.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(old, 'signup-desk.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      await again.close();
      rmSync(old, { recursive: true, force: true });
    }
  });
});
