/**
 * The import channels end to end through dispatch: a real CSV, the real keychain, real HTTP to
 * cognito-local, the real SQLite store, and the events the renderer would receive.
 */
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, JobView, Profile } from '@shared/contract';
import { createCognitoClient } from '../cognito/client';
import type { DialogPort } from '../dialogs/dialog-port';
import { dispatch } from '../ipc/dispatch';
import { createKeytarSecretStore } from '../keychain/secret-store';
import { createServices, type Services } from '../services';
import { startCognitoLocal, type CognitoLocalHandle } from '../../../test/support/cognito-local';

let local: CognitoLocalHandle;
let home: string;
let services: Services;
let profile: Profile;
let userPoolId: string;
const events: Array<{ event: EventName; payload: unknown }> = [];
const dialogAnswers: { open: string | null; save: string | null } = { open: null, save: null };
const dialogs: DialogPort = {
  openCsv: () => Promise.resolve(dialogAnswers.open),
  confirmDrop: () => Promise.resolve(false),
  saveFile: () => Promise.resolve(dialogAnswers.save),
};

/** Picks the file in the (stand-in) open dialog: main answers a handle for it, never the path. */
async function choose(path: string): Promise<string> {
  dialogAnswers.open = path;
  const picked = await call<{ handle: string } | null>('files:openCsv');
  if (picked === null) throw new Error('the open dialog answered nothing');
  return picked.handle;
}

async function call<T>(channel: string, request?: unknown): Promise<T> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (!envelope.ok) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

async function waitForJob(jobId: string): Promise<JobView> {
  await services.imports.engine.wait(jobId);
  const job = (await call<JobView[]>('import:jobs')).find((j) => j.id === jobId);
  if (job === undefined) throw new Error(`job ${jobId} not listed`);
  return job;
}

async function poolUsernames(): Promise<string[]> {
  const admin = createCognitoClient({ region: local.region, endpoint: local.endpoint });
  const out = await admin.send(new ListUsersCommand({ UserPoolId: userPoolId }));
  return (out.Users ?? []).map((u) => u.Username ?? '').sort();
}

beforeAll(async () => {
  local = await startCognitoLocal();
  home = mkdtempSync(join(tmpdir(), 'import-service-'));
  services = createServices({
    home,
    secrets: createKeytarSecretStore(`SignUp Desk import-service test ${process.pid}`),
    dialogs,
    push: (event, payload) => events.push({ event, payload }),
  });
  const app = await local.createClient({ secret: true });
  userPoolId = app.userPoolId;
  profile = await call<Profile>('profiles:save', {
    name: 'local',
    region: local.region,
    userPoolId,
    clientId: app.clientId,
    endpoint: local.endpoint,
  });
  await call('profiles:setSecret', { id: profile.id, secret: app.secret });
});
afterAll(async () => {
  await services?.close();
  await local?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('import channels', () => {
  const csv = (): string => {
    const path = join(home, 'people.csv');
    writeFileSync(
      path,
      '\uFEFFUser Name;E-mail;Phone Number;Department\r\n' +
        'ada;ada@example.com;+441234567890;eng\r\n' +
        'grace;grace@example.com;4.41235E+11;ops\r\n' +
        'alan;not-an-email;+15550100;eng\r\n' +
        'linus;linus@example.com;+15550101;eng\r\n',
    );
    return path;
  };

  it('inspects a semicolon file with a BOM and maps its columns', async () => {
    dialogAnswers.open = csv();
    const picked = await call<{ handle: string; name: string } | null>('files:openCsv');
    expect(picked?.name).toBe('people.csv');
    expect(JSON.stringify(picked)).not.toContain(home);
    const inspection = await call<{
      delimiter: string;
      encoding: string;
      rowCount: number;
      columns: Array<{ header: string; target: string }>;
      unknown: string[];
    }>('import:inspect', { handle: picked?.handle });
    expect(inspection.delimiter).toBe(';');
    expect(inspection.encoding).toBe('utf-8-bom');
    expect(inspection.rowCount).toBe(4);
    expect(inspection.columns.map((c) => c.target).slice(0, 3)).toEqual([
      'username',
      'email',
      'phone_number',
    ]);
    expect(inspection.unknown).toEqual(['Department']);
  });

  it('dry-runs with a line and a fix for each problem, sending nothing', async () => {
    const result = await call<{
      rows: number;
      valid: number;
      problems: Array<{ line: number; kind: string; suggestion?: string }>;
    }>('import:dryRun', {
      handle: await choose(csv()),
      overrides: { Department: 'ignore' },
      passwordSource: { kind: 'shared', password: 'Shared-Passw0rd!' },
    });
    expect(result.rows).toBe(4);
    expect(result.valid).toBe(2);
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([
      [3, 'excel-phone'],
      [4, 'invalid-attribute'],
    ]);
    expect(await poolUsernames()).toEqual([]);
  });

  it('runs a job to the end, pushes progress and rows, and saves a report', async () => {
    events.length = 0;
    const { jobId } = await call<{ jobId: string }>('import:start', {
      profileId: profile.id,
      handle: await choose(csv()),
      overrides: { Department: 'ignore' },
      passwordSource: {
        kind: 'generated',
        policy: {
          minLength: 12,
          requireUppercase: true,
          requireLowercase: true,
          requireNumbers: true,
          requireSymbols: true,
        },
      },
      rate: 20,
      concurrency: 2,
    });
    const job = await waitForJob(jobId);
    expect(job.progress.stopReason).toBeUndefined();
    expect(job.state).toBe('completed');
    expect(job.progress).toMatchObject({ created: 2, invalid: 2, failed: 0, remaining: 0 });
    expect(job.passwordKind).toBe('generated');
    expect(await poolUsernames()).toEqual(['ada', 'linus']);

    const rows = events.filter((e) => e.event === 'import:row').map((e) => e.payload as { jobId: string });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.jobId === jobId)).toBe(true);
    expect(events.some((e) => e.event === 'import:progress')).toBe(true);

    dialogAnswers.save = join(home, 'saved-report.csv');
    const saved = await call<{ path: string } | null>('import:saveReport', { jobId });
    expect(saved?.path).toBe(dialogAnswers.save);
    expect(statSync(dialogAnswers.save).mode & 0o777).toBe(0o600);
    const report = readFileSync(dialogAnswers.save, 'utf8');
    for (const name of ['ada', 'grace', 'alan', 'linus']) expect(report).toContain(name);

    dialogAnswers.save = null;
    expect(await call('import:saveReport', { jobId })).toBeNull();
  });

  it('asks again for a shared password, which is never stored', async () => {
    const password = 'Never-Stored-Passw0rd!';
    const path = join(home, 'shared.csv');
    writeFileSync(path, 'username,email\nmae,mae@example.com\n');
    const { jobId } = await call<{ jobId: string }>('import:start', {
      profileId: profile.id,
      handle: await choose(path),
      passwordSource: { kind: 'shared', password },
      rate: 10,
      concurrency: 1,
    });
    await waitForJob(jobId);
    const envelope = await dispatch(services.handlers, 'import:retryFailed', { jobId });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) expect(envelope.error.name).toBe('PasswordNeeded');
    services.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    for (const file of ['signup-desk.sqlite', 'profiles.json'])
      expect(readFileSync(join(home, file)).includes(password)).toBe(false);
  });

  it('seeds QA users from a pattern through the same engine', async () => {
    const preview = await call<{ rows: string[][]; count: number }>('seed:preview', {
      count: 5,
      usernameTemplate: 'qa-{n}',
      emailTemplate: '{username}@{domain}',
      domain: 'example.com',
    });
    expect(preview.rows[0]).toEqual(['qa-1', 'qa-1@example.com']);
    const { jobId } = await call<{ jobId: string }>('seed:start', {
      profileId: profile.id,
      pattern: {
        count: 5,
        usernameTemplate: 'qa-{n}',
        emailTemplate: '{username}@{domain}',
        domain: 'example.com',
      },
      passwordSource: { kind: 'shared', password: 'Seed-Passw0rd!' },
      rate: 50,
      concurrency: 4,
    });
    const job = await waitForJob(jobId);
    expect(job.progress.created).toBe(5);
    expect(await poolUsernames()).toEqual(expect.arrayContaining(['qa-1', 'qa-2', 'qa-3', 'qa-4', 'qa-5']));
  });

  it('rejects a template without {n} with a message saying what to fix', async () => {
    const envelope = await dispatch(services.handlers, 'seed:preview', { count: 3, usernameTemplate: 'qa' });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) expect(envelope.error.message).toContain('{n}');
  });
});
