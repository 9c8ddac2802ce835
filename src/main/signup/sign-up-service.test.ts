import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SignUpInput } from '@shared/signup-rules';
import { createCognitoClient } from '../cognito/client';
import { AppError } from '../errors';
import { createKeytarSecretStore } from '../keychain/secret-store';
import { createLogStore, type LogStore } from '../log/log-store';
import { createProfileStore, type ProfileStore } from '../profiles/profile-store';
import { openDatabase, type Database } from '../store/database';
import { startCognitoLocal, type CognitoLocalHandle } from '../../../test/support/cognito-local';
import { createSignUpService, type SignUpService } from './sign-up-service';

const PASSWORD = 'Corr3ct-Horse-Battery';
const input = (username: string, extra: Partial<SignUpInput> = {}): SignUpInput => ({
  username,
  password: PASSWORD,
  attributes: [{ name: 'email', value: `${username}@example.com` }],
  validationData: [],
  clientMetadata: [],
  ...extra,
});

let local: CognitoLocalHandle;
beforeAll(async () => {
  local = await startCognitoLocal();
});
afterAll(async () => {
  await local?.stop();
});

let home: string;
let db: Database;
let log: LogStore;
let profiles: ProfileStore;
let service: SignUpService;
const secrets = createKeytarSecretStore(`SignUp Desk service test ${process.pid}`);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'signup-service-'));
  db = openDatabase(join(home, 'db.sqlite'));
  log = createLogStore(db);
  profiles = createProfileStore(home, { secrets });
  service = createSignUpService({ profiles, secrets, log, now: () => new Date('2026-05-01T12:00:00Z') });
});
afterEach(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});

async function poolProfile(secret: boolean) {
  const app = await local.createClient({ secret });
  const profile = await profiles.save({
    name: `pool ${app.clientId}`,
    region: local.region,
    userPoolId: app.userPoolId,
    clientId: app.clientId,
    endpoint: local.endpoint,
  });
  if (app.secret !== null) await profiles.setSecret(profile.id, app.secret);
  return { app, profile: await profiles.get(profile.id) };
}

async function usernames(userPoolId: string): Promise<string[]> {
  const client = createCognitoClient({ region: local.region, endpoint: local.endpoint });
  const out = await client.send(new ListUsersCommand({ UserPoolId: userPoolId }));
  return (out.Users ?? []).map((u) => u.Username ?? '');
}

describe('sign-up service', () => {
  it('creates the user, then reports exists, one log entry per attempt', async () => {
    const { app, profile } = await poolProfile(true);
    const first = await service.submit(profile.id, input('frank'), 'form');
    expect(first).toMatchObject({ outcome: 'created', userConfirmed: false });
    expect(first.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(await usernames(app.userPoolId)).toEqual(['frank']);

    const second = await service.submit(profile.id, input('frank'), 'form');
    expect(second).toMatchObject({ outcome: 'exists', error: { name: 'UsernameExistsException' } });

    const page = log.query({});
    expect(page.entries.map((e) => [e.id, e.outcome])).toEqual([
      [second.logId, 'exists'],
      [first.logId, 'created'],
    ]);
    expect(log.get(first.logId!)).toMatchObject({
      source: 'form',
      profileId: profile.id,
      profileName: profile.name,
      region: local.region,
      userPoolId: app.userPoolId,
      clientId: app.clientId,
      username: 'frank',
      userSub: first.userSub,
      time: '2026-05-01T12:00:00.000Z',
    });
    expect(log.get(second.logId!)).toMatchObject({ errorName: 'UsernameExistsException' });
    expect(JSON.stringify(page)).not.toContain(PASSWORD);
    expect(JSON.stringify(page)).not.toContain(app.secret!);
  });

  it('works for an app client without a secret', async () => {
    const { app, profile } = await poolProfile(false);
    expect(profile.hasSecret).toBe(false);
    expect((await service.submit(profile.id, input('gina'), 'cli')).outcome).toBe('created');
    expect(await usernames(app.userPoolId)).toEqual(['gina']);
    expect(log.query({}).entries[0]!.source).toBe('cli');
  });

  it('answers invalid with field messages, logs it, and sends nothing', async () => {
    const { app, profile } = await poolProfile(true);
    const result = await service.submit(
      profile.id,
      input('has space', { password: 'short pw ', attributes: [{ name: 'team', value: 'x' }] }),
      'form',
    );
    expect(result.outcome).toBe('invalid');
    expect(result.fieldErrors).toMatchObject({
      username: expect.stringMatching(/whitespace/),
      password: expect.stringMatching(/whitespace/),
      'attributes.0.name': expect.stringMatching(/custom:team/),
    });
    expect(await usernames(app.userPoolId)).toEqual([]);
    const entry = log.get(result.logId!);
    expect(entry).toMatchObject({ outcome: 'invalid', username: 'has space', errorName: 'InvalidInput' });
    expect(JSON.stringify(entry)).not.toContain('short pw');
  });

  it('refuses to send without the secret the profile needs (locked keyring or missing entry)', async () => {
    const { app, profile } = await poolProfile(true);
    await secrets.remove(profile.id); // what a locked keyring looks like to libsecret: null
    const error = await service.submit(profile.id, input('hank'), 'form').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).name).toBe('KeychainUnavailable');
    expect((error as AppError).message).toMatch(/locked, or the entry is missing/);
    expect(await usernames(app.userPoolId)).toEqual([]);
    expect(log.query({}).entries).toEqual([]);
  });

  it('reports a user Cognito created as created, with a warning, when the log write fails', async () => {
    const { app, profile } = await poolProfile(true);
    // What a damaged database does to the write after the send.
    const broken: LogStore = {
      ...log,
      record: () => {
        throw new Error('database disk image is malformed');
      },
    };
    const withBrokenLog = createSignUpService({ profiles, secrets, log: broken });
    const result = await withBrokenLog.submit(profile.id, input('lena'), 'form');
    expect(result).toMatchObject({ outcome: 'created', userConfirmed: false });
    expect(result.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.logId).toBeUndefined();
    expect(result.warning).toMatch(/not in the log.*database disk image is malformed/);
    expect(await usernames(app.userPoolId)).toEqual(['lena']);

    // Cognito's refusal is reported as Cognito said it, too.
    const again = await withBrokenLog.submit(profile.id, input('lena'), 'form');
    expect(again).toMatchObject({ outcome: 'exists', error: { name: 'UsernameExistsException' } });
    expect(again.warning).toMatch(/not in the log/);
  });

  it('answers ProfileNotFound for an unknown profile', async () => {
    await expect(service.submit('nope', input('ivan'), 'form')).rejects.toMatchObject({
      name: 'ProfileNotFound',
    });
  });
});

describe('sign-up service with errors Cognito sends', () => {
  let server: Server;
  let endpoint: string;
  let reply: { type: string; message: string } = { type: '', message: '' };
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'rid-7' });
        res.end(JSON.stringify({ __type: reply.type, message: reply.message }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const connection = () => ({
    region: 'eu-west-1',
    clientId: 'cid',
    userPoolId: 'eu-west-1_x1',
    endpoint,
    secret: 'k',
  });

  it.each([
    ['InvalidPasswordException', 'Password did not conform with policy', 'rejected', /password policy/],
    [
      'LimitExceededException',
      'Exceeded daily email limit for the operation or the account.',
      'error',
      /quota/,
    ],
    ['NotAuthorizedException', 'Unable to verify secret hash for client cid', 'error', /client secret/],
  ] as const)('%s → %s, with a hint, logged once, not retried', async (type, message, outcome, hint) => {
    reply = { type, message };
    requests = 0;
    const result = await service.submitWithConnection(connection(), input('jill'), 'cli');
    expect(result).toMatchObject({ outcome, error: { name: type, message, requestId: 'rid-7' } });
    expect(result.error!.hint).toMatch(hint);
    expect(requests).toBe(1);
    expect(log.query({}).entries).toHaveLength(1);
    expect(log.get(result.logId!)).toMatchObject({
      outcome,
      errorName: type,
      errorMessage: message,
      requestId: 'rid-7',
    });
  });
});
