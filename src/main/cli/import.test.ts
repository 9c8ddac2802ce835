/**
 * `signup-desk import` and `signup-desk jobs` end to end: the real bin as a child process, against
 * cognito-local behind the fault-injecting proxy (test/cognito/cognito-proxy.ts), with the real
 * keychain for profile secrets (run under scripts/with-keyring.sh). Includes a real SIGKILL of the
 * importing process and a resume that finishes the job with every user created exactly once.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCognitoProxy, type CognitoProxy } from '../../../test/cognito/cognito-proxy';
import {
  adminClient,
  createPoolWithClient,
  TEST_REGION,
  type TestPool,
} from '../../../test/cognito/pool-admin';
import { INTERRUPTED_NOTE } from '../import/import-engine';
import { LEASE_MS } from '../import/job-lease';
import {
  directConnection,
  filesUnder,
  json,
  jsonLines,
  listUsernames,
  runBin as runBinIn,
  spawnBin,
  waitFor,
  type BinOptions,
  type Run,
} from '../../../test/support/cli';

const SHARED_PASSWORD = 'Shared-Pw-4d1f0b!';

let proxy: CognitoProxy;
let home: string;
let files: string;

function runBin(args: string[], options: Omit<BinOptions, 'home'> = {}): Promise<Run> {
  return runBinIn(args, { home, ...options });
}

function csv(name: string, lines: string[]): string {
  const path = join(files, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function usersCsv(name: string, count: number, prefix: string): string {
  const lines = ['username,password,email'];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, '0');
    lines.push(`${prefix}${n},Pw-${prefix}-${n}!x,${prefix}${n}@example.com`);
  }
  return csv(name, lines);
}

function direct(pool: TestPool): string[] {
  return directConnection(proxy.endpoint, pool);
}

function secretEnv(pool: TestPool): Record<string, string> {
  return pool.clientSecret !== null ? { TEST_SECRET: pool.clientSecret } : {};
}

async function addProfile(name: string, pool: TestPool): Promise<void> {
  const add = await runBin([
    'profiles',
    'add',
    '--name',
    name,
    '--region',
    TEST_REGION,
    '--user-pool-id',
    pool.poolId,
    '--client-id',
    pool.clientId,
    '--endpoint',
    proxy.endpoint,
  ]);
  expect(add.code, add.stderr).toBe(0);
  const secret = await runBin(['profiles', 'set-secret', name], { stdin: `${pool.clientSecret}\n` });
  expect(secret.code, secret.stderr).toBe(0);
}

type ReportRecord = Record<string, string>;

function readReport(path: string): ReportRecord[] {
  return parse<ReportRecord>(readFileSync(path), { columns: true, bom: true });
}

interface JobJson {
  id: string;
  state: string;
  progress: { rows: number; created: number; exists: number; remaining: number };
}

async function jobs(): Promise<JobJson[]> {
  const listed = await runBin(['jobs', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return jsonLines(listed) as unknown as JobJson[];
}

interface LogJson {
  jobId?: string;
  username: string;
  outcome: string;
  rowNumber?: number;
  note?: string;
}

async function logFor(jobId: string): Promise<LogJson[]> {
  const log = await runBin(['log', '--json', '--limit', '5000']);
  expect(log.code, log.stderr).toBe(0);
  return (jsonLines(log) as unknown as LogJson[]).filter((entry) => entry.jobId === jobId);
}

beforeAll(async () => {
  proxy = await startCognitoProxy();
  home = mkdtempSync(join(tmpdir(), 'signup-desk-import-cli-'));
  files = mkdtempSync(join(tmpdir(), 'signup-desk-import-files-'));
});

afterAll(async () => {
  await proxy?.stop();
  for (const dir of [home, files]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.control.clear();
  proxy.control.resetStats();
});

const MIXED = [
  'username,password,email,phone_number',
  'alice,Passw0rd!a,alice@example.com,+14155550100', // line 2: created
  'bob,Passw0rd!b,bob@example.com,', // 3: created
  'carol,Passw0rd!c,,', // 4: failed — the pool auto-verifies email and carol has none
  'bad user,Passw0rd!d,d@example.com,', // 5: invalid username (whitespace)
  'erin,Passw0rd!e,erin@example.com,441234567890', // 6: phone without its + (Excel drops it)
  'Alice,Passw0rd!f,alice2@example.com,', // 7: duplicate of line 2 (case-insensitive pools)
  'gina,Passw0rd!g,gina@example.com,', // 8: exists already
];

describe(
  'signup-desk import / jobs (real bin, cognito-local behind the fault proxy)',
  { timeout: 180_000 },
  () => {
    it('documents the commands in --help', async () => {
      const top = await runBin(['--help']);
      expect(top.stdout).toMatch(/import +bulk sign-up from a CSV file/);
      expect(top.stdout).toMatch(/jobs +list import jobs/);
      const help = await runBin(['import', '--help']);
      expect(help.code).toBe(0);
      for (const flag of [
        '--rate N',
        '--dry-run',
        '--resume JOB_ID',
        '--generate-passwords',
        '--report FILE',
        '130',
      ])
        expect(help.stdout).toContain(flag);
      const bad = await runBin(['import', join(files, 'nope.csv'), '--dry-run', '--delimiter', '|']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--delimiter takes');
      const missing = await runBin(['import', join(files, 'nope.csv'), '--dry-run']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('There is no file at');
    });

    it('dry run sends nothing and lists every problem with its line, column and fix', async () => {
      const path = csv('dry.csv', MIXED);
      const text = await runBin(['import', path, '--dry-run']);
      expect(text.code).toBe(1);
      expect(text.stderr).toMatch(/line 5, column "username": .+/);
      expect(text.stderr).toMatch(/line 6, column "phone_number": .*\(suggested fix: \+441234567890\)/);
      expect(text.stderr).toMatch(/line 7, column "username": "Alice" is already used on line 2/);
      expect(text.stderr).toContain(
        'Problems by kind: invalid-username 1, excel-phone 1, duplicate-username 1.',
      );
      expect(text.stderr).toContain('7 rows; 4 would be sent, 3 invalid');

      const asJson = await runBin(['import', path, '--dry-run', '--json']);
      expect(asJson.code).toBe(1);
      const body = json(asJson) as { wouldSend: number; problems: Array<{ line: number; kind: string }> };
      expect(body).toMatchObject({ dryRun: true, rows: 7, valid: 4, invalid: 3, wouldSend: 4 });
      expect(body.problems.map((p) => [p.line, p.kind])).toEqual([
        [5, 'invalid-username'],
        [6, 'excel-phone'],
        [7, 'duplicate-username'],
      ]);

      const clean = await runBin(['import', usersCsv('clean.csv', 3, 'dry'), '--dry-run']);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain('3 rows; 3 would be sent, 0 invalid');
      expect(proxy.stats().signUpCalls).toBe(0);
      expect(await jobs()).toEqual([]);
    });

    it('imports a mixed file with a profile: exit 1, counts, users in the pool, a report for every row', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { autoVerifiedAttributes: ['email'] });
      await addProfile('mixed', pool);
      const admin = adminClient(proxy.endpoint);
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: 'gina',
          UserAttributes: [{ Name: 'email', Value: 'gina@example.com' }],
          MessageAction: 'SUPPRESS',
        }),
      );
      admin.destroy();
      const report = join(files, 'mixed-report.csv');
      const run = await runBin([
        'import',
        csv('mixed.csv', MIXED),
        '--profile',
        'mixed',
        '--rate',
        '50',
        '--report',
        report,
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(1);
      const summary = json(run);
      expect(summary).toMatchObject({
        rows: 7,
        valid: 4,
        created: 2,
        exists: 1,
        invalid: 3,
        failed: 1,
        stopped: false,
        stopReason: null,
        state: 'completed',
        report,
      });
      expect(summary['jobId']).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof summary['elapsedMs']).toBe('number');
      expect(run.stderr).toContain(`Started job ${String(summary['jobId'])}`);
      expect(proxy.stats().signUpCalls).toBe(4); // invalid rows are never sent

      expect((await listUsernames(proxy.endpoint, pool.poolId)).sort()).toEqual(['alice', 'bob', 'gina']);
      expect(statSync(report).mode & 0o777).toBe(0o600);
      const rows = readReport(report);
      expect(rows.map((r) => [r['line'], r['username'], r['outcome']])).toEqual(
        expect.arrayContaining([
          ['2', 'alice', 'created'],
          ['3', 'bob', 'created'],
          ['4', 'carol', 'failed'],
          ['5', 'bad user', 'invalid'],
          ['6', 'erin', 'invalid'],
          ['7', 'Alice', 'invalid'],
          ['8', 'gina', 'exists'],
        ]),
      );
      expect(rows).toHaveLength(7);
      expect(rows.find((r) => r['username'] === 'carol')?.['error_name']).toBe('InvalidParameterException');

      const listed = (await jobs()).find((job) => job.id === summary['jobId']);
      expect(listed).toMatchObject({ state: 'completed', progress: { rows: 7, created: 2, exists: 1 } });
      const table = await runBin(['jobs']);
      expect(table.stdout).toMatch(
        new RegExp(`${String(summary['jobId'])} .* completed +mixed\\.csv +mixed +7/7`),
      );
    });

    it('a job started while the job before it still holds the whole quota waits for its share and finishes', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { generateSecret: false });
      const first = await runBin([
        'import',
        usersCsv('full-quota.csv', 5, 'fullq'),
        ...direct(pool),
        '--rate',
        '50',
        '--json',
      ]);
      expect(first.code, first.stderr).toBe(0);
      // The first job's 50/s stay committed to it for a second after it ends (quota/allocation.ts),
      // so this one starts at a share of 0 and waits on its renew timer alone.
      const second = await runBin([
        'import',
        usersCsv('after-full-quota.csv', 5, 'afterq'),
        ...direct(pool),
        '--rate',
        '20',
        '--json',
      ]);
      expect(second.code, second.stderr).toBe(0);
      expect(json(second)).toMatchObject({ state: 'completed', created: 5, remaining: 0 });
    });

    it('stops on LimitExceededException (exit 3, no calls after the stop), counts those users created without a code, lists them, and --resume sends the rest', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { generateSecret: false });
      const path = usersCsv('quota.csv', 30, 'quota');
      proxy.control.set({ limitExceededAfter: 10 });
      const report = join(files, 'quota-report.csv');
      const first = await runBin(
        [
          'import',
          path,
          ...direct(pool),
          '--generate-passwords',
          '--password-min-length',
          '12',
          '--rate',
          '50',
          '--concurrency',
          '4',
          '--report',
          report,
          '--json',
        ],
        { env: secretEnv(pool) },
      );
      expect(first.code, first.stderr).toBe(3);
      const stopped = json(first) as {
        jobId: string;
        stopReason: { category: string; errorName: string; rowNumber: number };
      };
      const atStop = proxy.stats();
      // Only requests already in flight when the first refusal came back may have been refused too.
      const refused = atStop.answers['LimitExceededException'] ?? 0;
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(refused).toBeLessThanOrEqual(4);
      expect(atStop.signUpCalls).toBe(10 + refused);
      // LimitExceeded created each of those users (UNCONFIRMED, no code): counted created.
      expect(stopped).toMatchObject({ stopped: true, state: 'stopped', created: 10 + refused, failed: 0 });
      expect(stopped.stopReason).toMatchObject({ category: 'quota', errorName: 'LimitExceededException' });
      expect(await listUsernames(proxy.endpoint, pool.poolId)).toHaveLength(10 + refused);
      const listed = await runBin(['log', '--job', stopped.jobId, '--code-not-sent', '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      const notSent = listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { username: string; note?: string });
      expect(notSent).toHaveLength(refused);
      for (const entry of notSent) expect(entry.note).toMatch(/code not sent/);

      expect((await jobs()).find((job) => job.id === stopped.jobId)?.state).toBe('stopped');
      proxy.control.clear();
      const resumed = await runBin(['import', '--resume', stopped.jobId, '--report', report, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(json(resumed)).toMatchObject({
        jobId: stopped.jobId,
        state: 'completed',
        created: 30,
        exists: 0,
        remaining: 0,
      });
      expect(await listUsernames(proxy.endpoint, pool.poolId)).toHaveLength(30);
      // The users created without a code were not sent again: each username was sent once.
      expect(Object.values(proxy.stats().byUsername).every((n) => n === 1)).toBe(true);
      // Generated passwords are in the report only, one per created user.
      const rows = readReport(report);
      expect(rows.filter((r) => r['outcome'] === 'created')).toHaveLength(30);
      const codeNotSentRows = rows.filter((r) => r['error_name'] === 'LimitExceededException');
      expect(codeNotSentRows).toHaveLength(refused);
      for (const row of codeNotSentRows) expect(row['error_message']).toMatch(/code not sent/);
      for (const row of rows) expect(row['generated_password']).toMatch(/^\S{12,}$/);
      const passwords = rows.map((r) => r['generated_password'] ?? '');
      for (const file of filesUnder(home).filter((f) => !f.includes(`${join(home, 'reports')}`))) {
        const bytes = readFileSync(file);
        for (const password of passwords.slice(0, 5)) expect(bytes.includes(password), file).toBe(false);
      }
    });

    it('survives SIGKILL mid-job: jobs shows it interrupted, --resume finishes it, every user exactly once', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { generateSecret: true });
      const path = usersCsv('kill.csv', 150, 'kill');
      proxy.control.set({ delayMs: 150 });
      const child = spawnBin(['import', path, ...direct(pool), '--rate', '20', '--concurrency', '4'], {
        home,
        env: secretEnv(pool),
      });
      await waitFor(() => proxy.stats().signUpCalls >= 40, 60_000, '40 SignUp calls', child);
      child.child.kill('SIGKILL');
      const killed = await child.done;
      expect(killed.signal).toBe('SIGKILL');
      const jobId = killed.stdout.split('\n')[0] ?? '';
      expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
      const callsAtKill = proxy.stats().signUpCalls;
      expect(callsAtKill).toBeLessThan(100);

      // The killed process renews its claim no more: once its lease ends (no pid is asked) the
      // job is interrupted; until then a resume is told where it ran.
      const early = await runBin(['import', '--resume', jobId, '--client-secret-env', 'TEST_SECRET'], {
        env: secretEnv(pool),
      });
      const leaseOver = Date.now() + LEASE_MS;
      if (early.code !== 0) expect(early.stderr).toContain(`pid ${child.child.pid}`);
      else throw new Error('resumed while the killed process still held the job');
      let listed = (await jobs()).find((job) => job.id === jobId);
      while (listed?.state === 'running' && Date.now() < leaseOver + 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        listed = (await jobs()).find((job) => job.id === jobId);
      }
      expect(listed?.state).toBe('interrupted');
      expect(listed?.progress.remaining).toBeGreaterThan(0);
      const table = await runBin(['jobs']);
      expect(table.stdout).toContain(`resume: signup-desk import --resume ${jobId}`);

      // The secret is never stored with the job: --client-secret-env is given again.
      proxy.control.set({ delayMs: 0 });
      const report = join(files, 'kill-report.csv');
      const resumed = await runBin(
        ['import', '--resume', jobId, '--client-secret-env', 'TEST_SECRET', '--report', report, '--json'],
        {
          env: secretEnv(pool),
        },
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      const summary = json(resumed) as { created: number; exists: number; failed: number; rows: number };
      expect(summary).toMatchObject({
        jobId,
        state: 'completed',
        rows: 150,
        valid: 150,
        failed: 0,
        remaining: 0,
      });
      expect(summary.created + summary.exists).toBe(150);
      // Only rows the kill caught between send and commit were sent twice, and answered "exists":
      // the 4 in flight plus those answered but still in the group-commit window (about 50 ms, longer
      // on a loaded machine). Rows reserved but never sent come back "created". So: well under the
      // 10 rows one reservation batch holds at 20/s (reserveBatchSize).
      expect(summary.exists).toBeLessThanOrEqual(10);

      const users = await listUsernames(proxy.endpoint, pool.poolId);
      expect(users).toHaveLength(150);
      expect(new Set(users).size).toBe(150);
      const calls = proxy.stats().byUsername;
      const twice = Object.entries(calls).filter(([, count]) => count > 1);
      expect(twice.length).toBe(summary.exists);
      for (const [, count] of twice) expect(count).toBe(2);

      // The log accounts for every row: one final outcome each; a second attempt carries the note.
      const log = await logFor(jobId);
      const finals = new Map(log.map((entry) => [entry.rowNumber, entry]));
      expect(finals.size).toBe(150);
      const existing = log.filter((entry) => entry.outcome === 'exists');
      expect(existing).toHaveLength(summary.exists);
      for (const entry of existing) expect(entry.note).toBe(INTERRUPTED_NOTE);
      // The report (appended by both runs) names every row exactly once: lines the kill cut off
      // were put back from the store before the resumed run appended its own.
      const lines = readReport(report).map((r) => r['line']);
      expect(lines).toHaveLength(150);
      expect(new Set(lines).size).toBe(150);
    });

    it('two --resume of one paused job at once: exactly one sends, no user twice, the other says where the job runs', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { generateSecret: true });
      await addProfile('racing', pool);
      const path = usersCsv('race.csv', 200, 'race');
      proxy.control.set({ delayMs: 50 });
      const child = spawnBin(['import', path, '--profile', 'racing', '--rate', '20'], { home });
      await waitFor(() => proxy.stats().signUpCalls >= 5, 60_000, '5 SignUp calls', child);
      child.child.kill('SIGINT');
      const paused = await child.done;
      expect(paused.code, paused.stderr).toBe(130);
      const jobId = paused.stdout.split('\n')[0] ?? '';
      proxy.control.set({ delayMs: 0 });
      proxy.control.resetStats();

      const both = await Promise.all([
        runBin(['import', '--resume', jobId, '--json']),
        runBin(['import', '--resume', jobId, '--json']),
      ]);
      const sent = both.filter((run) => run.code === 0);
      const refused = both.filter((run) => run.code !== 0);
      expect(sent, both.map((run) => run.stderr).join('\n')).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.code).toBe(2);
      expect(JSON.stringify(json(refused[0] as Run))).toMatch(
        /JobRunning.*This job is running in another window or process \(pid \d+, since \d\d:\d\d\)/,
      );
      expect(json(sent[0] as Run)).toMatchObject({ jobId, state: 'completed', failed: 0, exists: 0 });
      const calls = proxy.stats().byUsername;
      expect(Object.values(calls).every((count) => count === 1)).toBe(true);
      expect(await listUsernames(proxy.endpoint, pool.poolId)).toHaveLength(200);
    });

    it('pauses cleanly on SIGINT (exit 130, how to resume), and --resume completes it', async () => {
      const pool = await createPoolWithClient(proxy.endpoint, { generateSecret: true });
      await addProfile('pausing', pool);
      const path = csv('pause.csv', [
        'username,email',
        ...Array.from({ length: 60 }, (_, i) => `pause${i},pause${i}@example.com`),
      ]);
      proxy.control.set({ delayMs: 100 });
      const child = spawnBin(
        ['import', path, '--profile', 'pausing', '--password-env', 'SHARED', '--rate', '20'],
        {
          home,
          env: { SHARED: SHARED_PASSWORD },
        },
      );
      await waitFor(() => proxy.stats().signUpCalls >= 10, 60_000, '10 SignUp calls', child);
      child.child.kill('SIGINT');
      const paused = await child.done;
      expect(paused.code, paused.stderr).toBe(130);
      const jobId = paused.stdout.split('\n')[0] ?? '';
      expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
      expect(paused.stderr).toContain('pausing');
      expect(paused.stdout).toContain(`Resume with: signup-desk import --resume ${jobId}`);
      const callsAtPause = proxy.stats().signUpCalls;
      expect(callsAtPause).toBeLessThan(60);
      const listed = (await jobs()).find((job) => job.id === jobId);
      expect(listed?.state).toBe('paused');
      expect(listed?.progress.created).toBe(callsAtPause); // every request in flight finished and was recorded

      // The shared password is never stored: resuming without it is a usage error.
      const without = await runBin(['import', '--resume', jobId]);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain('--password-env');
      proxy.control.set({ delayMs: 0 });
      const resumed = await runBin(['import', '--resume', jobId, '--password-stdin', '--json'], {
        stdin: `${SHARED_PASSWORD}\n`,
      });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(json(resumed)).toMatchObject({ jobId, created: 60, exists: 0, failed: 0, state: 'completed' });
      // A clean pause sends no row twice.
      const calls = proxy.stats().byUsername;
      expect(Object.keys(calls)).toHaveLength(60);
      expect(Object.values(calls).every((count) => count === 1)).toBe(true);
      expect(await listUsernames(proxy.endpoint, pool.poolId)).toHaveLength(60);
      const again = await runBin(['import', '--resume', jobId, '--password-env', 'SHARED'], {
        env: { SHARED: SHARED_PASSWORD },
      });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('already finished');
    });

    it('left neither the shared password nor a client secret in the data folder outside reports', () => {
      for (const file of filesUnder(home)) {
        expect(readFileSync(file).includes(SHARED_PASSWORD), file).toBe(false);
      }
    });
  },
);
