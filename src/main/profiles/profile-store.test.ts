import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createKeytarSecretStore, type SecretStore } from '../keychain/secret-store';
import { createProfileStore, PROFILES_FILE, type ProfileStore } from './profile-store';

const SECRET = 'client-secret-abcdefghijklmnopqrstuvwxyz0123456789XYZ';

const input = (name: string, extra: Record<string, string> = {}) => ({
  name,
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbC123xyz',
  clientId: '1example23456789',
  ...extra,
});

let home: string;
let secrets: SecretStore;
let store: ProfileStore;
let clock: number;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'profiles-'));
  // The real keychain (tests run in scripts/with-keyring.sh), a service of their own.
  secrets = createKeytarSecretStore(`SignUp Desk profile test ${process.pid}`);
  clock = Date.parse('2026-05-01T10:00:00Z');
  store = createProfileStore(home, { secrets, now: () => new Date((clock += 1000)) });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("a profile's secret belongs to its region, client and endpoint", () => {
  it('drops the stored secret when the profile is re-pointed, keeps it for a rename', async () => {
    const p = await store.save(input('Prod'));
    await store.setSecret(p.id, SECRET);
    const renamed = await store.save({ ...input('Production'), id: p.id });
    expect(renamed.hasSecret).toBe(true);
    expect(await secrets.get(p.id)).toBe(SECRET);
    for (const change of [
      { endpoint: 'https://cognito.example.net' },
      { clientId: '9other87654321' },
      { region: 'us-east-1' },
    ]) {
      await store.setSecret(p.id, SECRET);
      const moved = await store.save({ ...input('Production'), ...change, id: p.id });
      expect(moved.hasSecret, JSON.stringify(change)).toBe(false);
      // Gone from the keychain too: the next sign-up cannot send a valid SecretHash elsewhere.
      expect(await secrets.get(p.id), JSON.stringify(change)).toBeNull();
    }
  });

  it('allows plain http only for endpoints on this machine', async () => {
    for (const endpoint of ['http://127.0.0.1:9229', 'http://localhost:8080', 'http://[::1]:9229'])
      expect((await store.save(input(`L ${endpoint}`, { endpoint }))).endpoint).toBe(endpoint);
    const error = await rejection(store.save(input('Remote', { endpoint: 'http://cognito.example.net' })));
    expect(error.name).toBe('InvalidRequest');
    expect(error.fields?.['endpoint']).toMatch(/only for endpoints on this machine/);
    expect((await store.list()).profiles.some((p) => p.name === 'Remote')).toBe(false);
  });
});

describe('profile store', () => {
  it('starts empty', async () => {
    expect(await store.list()).toEqual({ profiles: [], activeId: null });
  });

  it('creates, updates, reads back from disk and makes the first profile active', async () => {
    const a = await store.save(input('  Staging  ', { endpoint: '' }));
    expect(a).toMatchObject({ name: 'Staging', hasSecret: false, sandbox: false });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toHaveProperty('endpoint');
    const b = await store.save(input('Local', { endpoint: 'http://127.0.0.1:9229' }));
    expect(b.endpoint).toBe('http://127.0.0.1:9229');

    const updated = await store.save({ ...input('Staging EU'), id: a.id });
    expect(updated).toMatchObject({ id: a.id, name: 'Staging EU', createdAt: a.createdAt });
    expect(updated.updatedAt > a.updatedAt).toBe(true);

    // A second store over the same folder sees the same thing (it is on disk, not in memory).
    const again = createProfileStore(home, { secrets });
    const state = await again.list();
    expect(state.activeId).toBe(a.id);
    expect(state.profiles.map((p) => p.name)).toEqual(['Staging EU', 'Local']);
    expect(await again.get(b.id)).toEqual(b);
    expect(await again.find('local')).toEqual(b);
    expect(await again.find(a.id)).toMatchObject({ name: 'Staging EU' });
    expect(await again.find('nope')).toBeNull();
  });

  it('rejects duplicate names (case-insensitive) with a clear message', async () => {
    const a = await store.save(input('Production'));
    const error = await rejection(store.save(input('production')));
    expect(error.name).toBe('DuplicateProfileName');
    expect(error.message).toMatch(/A profile named "Production" already exists/);
    expect(error.fields?.['name']).toBeDefined();
    // Saving a profile under its own name is fine.
    await expect(store.save({ ...input('PRODUCTION'), id: a.id })).resolves.toMatchObject({
      name: 'PRODUCTION',
    });
  });

  it('rejects invalid settings field by field', async () => {
    const error = await rejection(store.save(input('X', { region: 'Ireland', userPoolId: 'nope' })));
    expect(error.name).toBe('InvalidRequest');
    expect(error.fields?.['region']).toMatch(/eu-west-1/);
    expect(error.fields?.['userPoolId']).toMatch(/user pool id/);
    expect((await store.list()).profiles).toHaveLength(0);
  });

  it('answers ProfileNotFound for unknown ids', async () => {
    for (const call of [
      store.get('missing'),
      store.delete('missing'),
      store.setActive('missing'),
      store.setSecret('missing', SECRET),
      store.removeSecret('missing'),
      store.markSandbox('missing'),
      store.save({ ...input('Y'), id: 'missing' }),
    ]) {
      expect((await rejection(call)).name).toBe('ProfileNotFound');
    }
  });

  it('keeps the secret in the keychain only, and removes it with the profile', async () => {
    const p = await store.save(input('With secret'));
    const withSecret = await store.setSecret(p.id, SECRET);
    expect(withSecret.hasSecret).toBe(true);
    expect(await secrets.get(p.id)).toBe(SECRET);
    const raw = readFileSync(join(home, PROFILES_FILE), 'utf8');
    expect(raw).not.toContain(SECRET);
    expect((JSON.parse(raw) as { profiles: Array<{ hasSecret: boolean }> }).profiles[0]?.hasSecret).toBe(
      true,
    );
    // Only the owner may read the file.
    expect(statSync(join(home, PROFILES_FILE)).mode & 0o077).toBe(0);

    expect((await store.removeSecret(p.id)).hasSecret).toBe(false);
    expect(await secrets.get(p.id)).toBeNull();

    await store.setSecret(p.id, SECRET);
    const after = await store.delete(p.id);
    expect(after).toEqual({ profiles: [], activeId: null });
    expect(await secrets.get(p.id)).toBeNull();
  });

  it('moves the active profile on when the active one is deleted', async () => {
    const a = await store.save(input('A'));
    const b = await store.save(input('B'));
    expect((await store.setActive(b.id)).activeId).toBe(b.id);
    expect((await store.delete(b.id)).activeId).toBe(a.id);
  });

  it('does not delete a profile whose secret the keychain cannot remove', async () => {
    const failing: SecretStore = {
      get: () => Promise.resolve(null),
      set: () => Promise.resolve(),
      remove: () => Promise.reject(new AppError('KeychainUnavailable', 'No OS keychain is available.')),
    };
    const s = createProfileStore(home, { secrets: failing });
    const p = await s.save(input('Keep me'));
    await s.setSecret(p.id, SECRET);
    expect((await rejection(s.delete(p.id))).name).toBe('KeychainUnavailable');
    expect((await s.list()).profiles).toHaveLength(1);
  });

  it('marks a sandbox profile', async () => {
    const p = await store.save(input('Sandbox'));
    expect((await store.markSandbox(p.id)).sandbox).toBe(true);
    // An update through the form keeps the mark and the secret flag.
    expect(await store.save({ ...input('Sandbox 2'), id: p.id })).toMatchObject({
      sandbox: true,
      hasSecret: false,
    });
  });

  it('moves a damaged profiles.json aside, says so once, then works', async () => {
    const damaged = '{"version":1,"activeId":null,"profiles":[{"id":"x"';
    writeFileSync(join(home, PROFILES_FILE), damaged);
    const error = await rejection(store.list());
    expect(error.name).toBe('ProfilesCorrupt');
    expect(error.message).toMatch(/not valid JSON/);
    const aside = readdirSync(home).filter((f) => f.startsWith(`${PROFILES_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(error.message).toContain(aside[0]);
    expect(readFileSync(join(home, aside[0]!), 'utf8')).toBe(damaged);
    // Next call starts from empty, and a save does not touch the moved file.
    expect(await store.list()).toEqual({ profiles: [], activeId: null });
    await store.save(input('Fresh'));
    expect(readFileSync(join(home, aside[0]!), 'utf8')).toBe(damaged);
  });

  it('treats valid JSON of the wrong shape as damaged too', async () => {
    writeFileSync(join(home, PROFILES_FILE), JSON.stringify({ version: 1, profiles: 'nope' }));
    expect((await rejection(store.list())).name).toBe('ProfilesCorrupt');
  });

  it('refuses (and leaves alone) a file from a newer version', async () => {
    const newer = JSON.stringify({ version: 2, profiles: [], activeId: null, extra: true });
    writeFileSync(join(home, PROFILES_FILE), newer);
    const error = await rejection(store.save(input('X')));
    expect(error.name).toBe('ProfilesUnreadable');
    expect(readFileSync(join(home, PROFILES_FILE), 'utf8')).toBe(newer);
  });

  it('does not lose updates when saves run at the same time', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(input(`P${i}`))));
    expect((await store.list()).profiles).toHaveLength(20);
    // No temp files left behind.
    expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe("a profile's sign-up quota and account", () => {
  it('stores an account id and a raised quota, and keeps neither when not given', async () => {
    const exact = await store.save({
      ...input('Exact'),
      accountId: ' 123456789012 ',
      userCreationQuota: 200,
    });
    expect(exact).toMatchObject({ accountId: '123456789012', userCreationQuota: 200 });
    const plain = await store.save({ ...input('Plain'), accountId: '' });
    expect(plain).not.toHaveProperty('accountId');
    expect(plain).not.toHaveProperty('userCreationQuota');
    // Read back from the file, by another store on the same folder (the CLI, say).
    const again = createProfileStore(home, { secrets });
    expect(await again.get(exact.id)).toMatchObject({ accountId: '123456789012', userCreationQuota: 200 });
  });

  it('refuses an account id that is not 12 digits and a quota outside 1…10000', async () => {
    const badAccount = await rejection(store.save({ ...input('A'), accountId: '12345' }));
    expect(badAccount.fields?.['accountId']).toBe('An AWS account id is 12 digits.');
    for (const userCreationQuota of [0, 10_001, 2.5, Number.NaN]) {
      const bad = await rejection(store.save({ ...input('Q'), userCreationQuota }));
      expect(bad.fields?.['userCreationQuota']).toMatch(/whole number of requests per second/);
    }
  });

  it('an edit that removes them goes back to unknown / the default', async () => {
    const saved = await store.save({ ...input('E'), accountId: '123456789012', userCreationQuota: 80 });
    const edited = await store.save({ ...input('E'), id: saved.id });
    expect(edited).not.toHaveProperty('accountId');
    expect(edited).not.toHaveProperty('userCreationQuota');
  });
});
