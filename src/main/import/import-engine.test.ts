/**
 * Engine behaviour that needs exact control of Cognito's answers (row errors, give-ups) uses a
 * scripted SignUp call here; the same engine against real HTTP and injected faults is
 * engine-faults.test.ts. Real SQLite file, real CSV files, real report files.
 */
import { readFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, whenReached, type EngineBench } from '../../../test/support/import-engine-setup';
import type { ClassifiedError } from '../cognito/errors';
import type { sendSignUp } from '../cognito/sign-up-call';
import { createLogStore } from '../log/log-store';
import { openDatabase, type Database } from '../store/database';
import { DEFAULT_PASSWORD_POLICY } from './password-generator';
import { INTERRUPTED_NOTE, UNCAPPED_RATE, type ImportEngine, type ImportProgress } from './import-engine';

type Send = typeof sendSignUp;

const PASSWORD = 'Shared-Secret-Pass9';
const connection = {
  region: 'us-east-1',
  clientId: 'client123',
  userPoolId: 'us-east-1_abc',
  endpoint: 'http://127.0.0.1:9',
};
const noSecret = (): Promise<string | null> => Promise.resolve(null);

let bench: EngineBench;
let dir: string;
let dbPath: string;
let db: Database;

beforeEach(async () => {
  bench = await openEngineBench();
  ({ dir, dbPath, db } = bench);
});
afterEach(async () => {
  await bench.close();
});

const csv = (name: string, lines: string[]): Promise<string> => bench.csv(name, lines);

const error = (category: ClassifiedError['category'], name: string): ClassifiedError => ({
  category,
  name,
  message: `${name} (scripted)`,
});

/** Answers by username: `bad*` → a row error, `flaky*` → transient forever, else created. */
function scripted(calls: string[], passwords: string[] = []): Send {
  return (_client, _connection, input) => {
    calls.push(input.username);
    passwords.push(input.password ?? '');
    if (input.username.startsWith('bad'))
      return Promise.resolve({ kind: 'error', error: error('row', 'InvalidParameterException') });
    if (input.username.startsWith('flaky'))
      return Promise.resolve({ kind: 'error', error: error('transient', 'InternalErrorException') });
    return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
  };
}

/** An engine on the test's database and fake clock, with short retry delays. */
function engineWith(send: Send): ImportEngine {
  return bench.engine({ send, retryPolicy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
}

describe('createImportEngine', () => {
  it('fails bad rows, gives up on endless transient errors, and retries failed rows as a new job re-read from the file', async () => {
    const path = await csv('mixed.csv', [
      'username,email',
      'ok-1,a@example.com',
      'bad-1,b@example.com',
      'flaky-1,c@example.com',
      'ok-2,d@example.com',
    ]);
    const calls: string[] = [];
    const engine = engineWith(scripted(calls));
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      rate: 50,
      concurrency: 2,
    });
    const summary = await engine.wait(jobId);
    expect(summary).toMatchObject({
      state: 'completed',
      rows: 4,
      valid: 4,
      created: 2,
      failed: 2,
      remaining: 0,
    });
    // A row error is not retried; a transient one is, up to maxAttempts.
    expect(calls.filter((u) => u === 'bad-1')).toHaveLength(1);
    expect(calls.filter((u) => u === 'flaky-1')).toHaveLength(3);
    const log = createLogStore(db).query({ jobId, limit: 10 }).entries;
    expect(log.find((e) => e.username === 'bad-1')).toMatchObject({
      outcome: 'rejected',
      errorName: 'InvalidParameterException',
      rowNumber: 3,
    });
    expect(log.find((e) => e.username === 'flaky-1')).toMatchObject({
      outcome: 'error',
      note: 'Gave up after 3 attempts.',
    });
    expect(engine.failedRows(jobId).map((r) => [r.line, r.username])).toEqual([
      [3, 'bad-1'],
      [4, 'flaky-1'],
    ]);

    calls.length = 0;
    const retryId = await engine.retryFailed(jobId, {
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    const retried = await engine.wait(retryId);
    expect(calls.sort()).toEqual(['bad-1', 'flaky-1', 'flaky-1', 'flaky-1']);
    expect(retried).toMatchObject({ rows: 2, failed: 2, created: 0 });
    expect(engine.getJob(retryId).parentJobId).toBe(jobId);
    expect(engine.listJobs().map((j) => j.id)).toEqual(expect.arrayContaining([jobId, retryId]));
  });

  it('records invalid rows (checks and duplicates) without sending them', async () => {
    const path = await csv('invalid.csv', [
      'username,phone_number',
      'alice,+441234567890',
      'has space,+441234567891',
      'bob,4.41E+11',
      'ALICE,+441234567892',
    ]);
    const calls: string[] = [];
    const engine = engineWith(scripted(calls));
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    expect(await engine.wait(jobId)).toMatchObject({ rows: 4, valid: 1, created: 1, invalid: 3 });
    expect(calls).toEqual(['alice']);
    const invalid = createLogStore(db).query({ jobId, outcomes: ['invalid'], limit: 10 }).entries;
    expect(invalid.map((e) => e.username).sort()).toEqual(['ALICE', 'bob', 'has space']);
    expect(invalid.find((e) => e.username === 'ALICE')?.errorMessage).toMatch(/already used on line 2/);
  });

  it('refuses to resume when the file changed, and asks again for a shared password (never stored)', async () => {
    const path = await csv('changing.csv', [
      'username',
      ...Array.from({ length: 20 }, (_, i) => `user-${i}`),
    ]);
    const calls: string[] = [];
    const send = scripted(calls);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fifth = whenReached(5);
    const engine = engineWith(async (...args) => {
      if (calls.length >= 5) await gate;
      const result = send(...args);
      fifth.check(calls.length);
      return result;
    });
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      concurrency: 2,
      rate: 50,
    });
    await fifth.reached;
    const paused = engine.pause(jobId);
    release();
    await paused;
    expect(engine.getJob(jobId).state).toBe('paused');
    const dump = JSON.stringify(db.prepare('SELECT * FROM import_jobs').all());
    expect(dump).not.toContain(PASSWORD);
    expect(engine.getJob(jobId).settings.passwordSource).toEqual({ kind: 'shared' });

    await expect(engine.resume(jobId, { resolveSecret: noSecret })).rejects.toMatchObject({
      name: 'PasswordNeeded',
    });
    await appendFile(path, 'user-extra\n');
    await expect(
      engine.resume(jobId, {
        resolveSecret: noSecret,
        passwordSource: { kind: 'shared', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ name: 'SourceChanged', message: expect.stringMatching(/has changed/) });
    expect(engine.getJob(jobId).state).toBe('paused');
  });

  it('writes a report with the generated passwords it sent, and throttles progress events', async () => {
    const path = await csv('gen.csv', ['username', ...Array.from({ length: 30 }, (_, i) => `gen-${i}`)]);
    const calls: string[] = [];
    const passwords: string[] = [];
    const engine = engineWith(scripted(calls, passwords));
    const events: ImportProgress[] = [];
    engine.onProgress((_id, progress) => events.push(progress));
    const reportPath = join(dir, 'report.csv');
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'generated', policy: DEFAULT_PASSWORD_POLICY },
      rate: 50,
      reportPath,
    });
    expect(await engine.wait(jobId)).toMatchObject({ created: 30 });
    expect(new Set(passwords).size).toBe(30);
    const report = await readFile(reportPath, 'utf8');
    expect(report).toContain('generated_password');
    expect(report).toContain(passwords[0]);
    // Generated passwords go to the report only, never to the database.
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM log_attempts').all()) +
      JSON.stringify(db.prepare('SELECT * FROM import_rows').all());
    expect(dump).not.toContain(passwords[0]);
    // 30 rows at 50/s take ~600 ms: at most one event per 100 ms (plus state changes), far fewer than rows.
    expect(events.length).toBeLessThan(15);
    expect(events.at(-1)).toMatchObject({ state: 'completed', created: 30, remaining: 0 });
  });

  it('cancels a running job for good', async () => {
    const path = await csv('cancel.csv', ['username', ...Array.from({ length: 50 }, (_, i) => `c-${i}`)]);
    const calls: string[] = [];
    const send = scripted(calls);
    const third = whenReached(3);
    const engine = engineWith((...args) => {
      const result = send(...args);
      third.check(calls.length);
      return result;
    });
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      rate: 20,
    });
    await third.reached;
    await engine.cancel(jobId);
    const summary = await engine.wait(jobId);
    expect(summary.state).toBe('cancelled');
    expect(summary.remaining).toBeGreaterThan(0);
    const sent = calls.length;
    await bench.time.advance(150);
    expect(calls.length).toBe(sent);
    await expect(
      engine.resume(jobId, {
        resolveSecret: noSecret,
        passwordSource: { kind: 'shared', password: PASSWORD },
      }),
    ).rejects.toMatchObject({
      name: 'JobCancelled',
    });
  });

  it('runs without a rate cap when rate is null (local endpoints, QA seeding), bounded by concurrency only', async () => {
    const path = await csv('uncapped.csv', [
      'username',
      ...Array.from({ length: 40 }, (_, i) => `free-${i}`),
      'bad-1',
    ]);
    // A frozen clock whose sleep never ends: any pacing by the limiter would hang the job forever,
    // so finishing proves no request waited for a rate slot.
    const asleep = whenReached(1);
    const frozen = {
      now: () => 1_700_000_000_000,
      sleep: () => {
        asleep.check(1);
        return new Promise<void>(() => undefined);
      },
    };
    const calls: string[] = [];
    const send = scripted(calls);
    let inFlight = 0;
    let maxInFlight = 0;
    let firstCall = whenReached(1);
    const engine = bench.engine({
      ...frozen,
      send: async (...args) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // Each answer takes 2 ms of the test's (fake) time, not of the engine's frozen clock.
        await bench.time.sleep(2);
        inFlight -= 1;
        const result = send(...args);
        firstCall.check(calls.length);
        return result;
      },
    });
    const allowed: number[] = [];
    engine.onProgress((_id, progress) => {
      if (progress.state === 'running') allowed.push(progress.allowedRate);
    });
    const base = {
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    } as const;
    const jobId = await engine.start({ ...base, rate: null, concurrency: 3 });
    expect(await engine.wait(jobId)).toMatchObject({ state: 'completed', created: 40, failed: 1 });
    expect(calls).toHaveLength(41);
    expect(maxInFlight).toBe(3);
    expect(engine.getJob(jobId).settings.rate).toBe(UNCAPPED_RATE);
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.every((rate) => rate === UNCAPPED_RATE)).toBe(true);

    // Its retry job inherits "no cap" (stored as 0) and also finishes on the frozen clock.
    const retryId = await engine.retryFailed(jobId, {
      resolveSecret: noSecret,
      passwordSource: base.passwordSource,
    });
    expect(await engine.wait(retryId)).toMatchObject({ state: 'completed', failed: 1 });
    expect(engine.getJob(retryId).settings.rate).toBe(UNCAPPED_RATE);

    // The same clock with a cap: the second request waits for a slot that never comes.
    calls.length = 0;
    firstCall = whenReached(1);
    const capped = await engine.start({ ...base, rate: 50, concurrency: 3 });
    // The first request went out and the next one waits for its slot on the frozen clock.
    await Promise.all([firstCall.reached, asleep.reached]);
    await bench.time.advance(100);
    expect(calls).toHaveLength(1);
    expect(engine.progress(capped).allowedRate).toBe(50);
    // A number is always a real cap: 0 is not a way to lift it.
    await expect(engine.start({ ...base, rate: 0 })).rejects.toMatchObject({ name: 'InvalidRate' });
    await expect(engine.start({ ...base, rate: 51 })).rejects.toMatchObject({ name: 'InvalidRate' });
  });

  it('reserves rows in batches before sending: after a crash, reserved rows never sent come back created with no note', async () => {
    const path = await csv('reserve.csv', ['username', ...Array.from({ length: 20 }, (_, i) => `r-${i}`)]);
    // A Cognito that remembers who it created; the 5th call creates its user and never answers,
    // every later one never even arrives: the process is frozen, as in a crash.
    const users = new Set<string>();
    const cognito: Send = (_client, _connection, input) => {
      if (users.has(input.username))
        return Promise.resolve({ kind: 'error', error: error('exists', 'UsernameExistsException') });
      users.add(input.username);
      return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
    };
    let calls = 0;
    const sentBeforeCrash: string[] = [];
    const sixth = whenReached(6);
    const crashing = engineWith((client, connection, input, options) => {
      calls += 1;
      sixth.check(calls);
      sentBeforeCrash.push(input.username);
      if (calls < 5) return cognito(client, connection, input, options);
      if (calls === 5) void cognito(client, connection, input, options);
      return new Promise(() => undefined);
    });
    const jobId = await crashing.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      rate: null,
      concurrency: 2,
    });
    // The answered rows' group commits on the fake clock; their row events follow the commit.
    const committed = whenReached(4);
    let rowEvents = 0;
    crashing.onRow(() => committed.check(++rowEvents));
    await Promise.all([sixth.reached, committed.reached]);

    const reopened = openDatabase(dbPath);
    try {
      const rows = reopened
        .prepare('SELECT username, state FROM import_rows WHERE job_id = ? ORDER BY row_index')
        .all(jobId) as Array<{ username: string; state: string }>;
      // The four answered rows have their outcome; every other row was reserved ('sending') in
      // the same transaction before the first request left, though only two more were sent.
      expect(rows.filter((r) => r.state === 'created').map((r) => r.username)).toEqual(
        sentBeforeCrash.slice(0, 4),
      );
      expect(rows.filter((r) => r.state === 'sending')).toHaveLength(16);
      expect(sentBeforeCrash).toHaveLength(6);

      const resumedCalls: string[] = [];
      const engine = bench.engine({
        db: reopened,
        send: (client, conn, input, options) => {
          resumedCalls.push(input.username);
          return cognito(client, conn, input, options);
        },
      });
      expect(engine.getJob(jobId).state).toBe('interrupted');
      await engine.resume(jobId, {
        resolveSecret: noSecret,
        passwordSource: { kind: 'shared', password: PASSWORD },
      });
      expect(await engine.wait(jobId)).toMatchObject({
        state: 'completed',
        created: 19,
        exists: 1,
        remaining: 0,
      });
      // Only rows without an outcome were sent, each once.
      expect(resumedCalls.sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `r-${i}`)
          .filter((u) => !sentBeforeCrash.slice(0, 4).includes(u))
          .sort(),
      );
      const entries = createLogStore(reopened).query({ jobId, limit: 100 }).entries;
      // The row whose request reached Cognito before the crash: exists, with the note.
      expect(entries.filter((e) => e.outcome === 'exists')).toEqual([
        expect.objectContaining({ username: sentBeforeCrash[4], note: INTERRUPTED_NOTE }),
      ]);
      // Reserved rows that never left (and the one that never arrived) are simply created: no note.
      const created = entries.filter((e) => e.outcome === 'created');
      expect(created).toHaveLength(19);
      expect(created.every((e) => e.note === undefined)).toBe(true);
    } finally {
      reopened.close();
    }
  });

  it('commits outcomes in groups, and a pause commits every answered row before it resolves', async () => {
    const path = await csv('group.csv', ['username', ...Array.from({ length: 200 }, (_, i) => `g-${i}`)]);
    const calls: string[] = [];
    const answered: string[] = [];
    const send = scripted(calls);
    const sixty = whenReached(60);
    const engine = engineWith(async (...args) => {
      // Each answer takes 1 ms of fake time: the commit window (50 ms) spans many answers.
      await bench.time.sleep(1);
      const result = await send(...args);
      answered.push(args[2].username);
      sixty.check(answered.length);
      return result;
    });
    let commits = 0;
    const countCommits = (sql: string): void => {
      if (/^\s*COMMIT/i.test(sql)) commits += 1;
    };
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      countCommits(sql);
      exec(sql);
    };
    const rowEvents: string[] = [];
    engine.onRow((_id, entry) => rowEvents.push(entry.username));
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      rate: null,
      concurrency: 4,
    });
    await sixty.reached;
    const committedAtPause = commits;
    await engine.pause(jobId);
    const paused = await engine.wait(jobId);
    expect(paused.state).toBe('paused');
    // No outcome lost: every answered call has its committed outcome, log entry and row event.
    expect(paused.created).toBe(answered.length);
    expect(createLogStore(db).query({ jobId, limit: 500 }).entries).toHaveLength(answered.length);
    expect(rowEvents.sort()).toEqual([...answered].sort());
    // Rows reserved but never sent went back to "not sent".
    expect(db.prepare("SELECT COUNT(*) AS n FROM import_rows WHERE state = 'sending'").get()).toEqual({
      n: 0,
    });
    // Grouped: far fewer commits than rows (reservations + outcome groups, not two per row).
    expect(committedAtPause).toBeLessThan(answered.length / 2);

    await engine.resume(jobId, {
      resolveSecret: noSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    expect(await engine.wait(jobId)).toMatchObject({ state: 'completed', created: 200, remaining: 0 });
    expect(new Set(calls).size).toBe(200);
    expect(calls).toHaveLength(200);
  });

  it('refuses a rate above the quota and unknown jobs', async () => {
    const path = await csv('rate.csv', ['username', 'x']);
    const engine = engineWith(scripted([]));
    await expect(
      engine.start({
        path,
        connection,
        resolveSecret: noSecret,
        passwordSource: { kind: 'shared', password: PASSWORD },
        rate: 500,
      }),
    ).rejects.toMatchObject({ name: 'InvalidRate' });
    expect(() => engine.getJob('nope')).toThrow(/no import job/);
  });
});
