/**
 * The import engine against real HTTP: the Cognito proxy (e2e/cognito) in front of cognito-local,
 * injecting throttling, 5xx, resets, delays, LimitExceeded and SecretHash checks; a real SQLite
 * file; the real CSV reader. Small pools keep cognito-local fast.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../test/support/import-engine-setup';
import { startCognitoProxy, type CognitoProxy } from '../../../test/cognito/cognito-proxy';
import { createPoolWithClient, getUser, TEST_REGION, type TestPool } from '../../../test/cognito/pool-admin';
import { sendSignUp } from '../cognito/sign-up-call';
import { createLogStore } from '../log/log-store';
import { openDatabase, type Database } from '../store/database';
import { systemScheduler } from './engine/timing';
import {
  INTERRUPTED_NOTE,
  type ImportEngine,
  type ImportEngineOptions,
  type StartOptions,
} from './import-engine';
import { maxInAnyWindow, realClock } from './rate-limiter';

const PASSWORD = 'Import-Test-Pass1';
const realTime = { now: realClock.now, sleep: realClock.sleep, scheduler: systemScheduler };

let proxy: CognitoProxy;
let bench: EngineBench;
let pool: TestPool;
let dbPath: string;
let db: Database;

beforeAll(async () => {
  proxy = await startCognitoProxy();
});
afterAll(async () => {
  await proxy.stop();
});

beforeEach(async () => {
  bench = await openEngineBench('signup-desk-engine-');
  ({ dbPath, db } = bench);
  if (proxy.upstream === null) throw new Error('the proxy needs cognito-local');
  pool = await createPoolWithClient(proxy.upstream);
  proxy.control.registerClient(pool.clientId, { poolId: pool.poolId, secret: pool.clientSecret });
  proxy.control.clear();
  proxy.control.resetStats();
});
afterEach(async () => {
  await bench.close();
});

/** `count` valid users, then the extra lines as given. */
async function writeCsv(
  name: string,
  count: number,
  extra: string[] = [],
): Promise<{ path: string; usernames: string[] }> {
  const usernames = Array.from({ length: count }, (_, i) => `${name}-${String(i + 1).padStart(3, '0')}`);
  const lines = ['username,email', ...usernames.map((u) => `${u},${u}@example.com`), ...extra];
  const path = await bench.csv(`${name}.csv`, lines);
  return { path, usernames };
}

/**
 * An engine on `database` on the real clock (these tests measure real rates against real HTTP),
 * recording when each SignUp request starts.
 */
function engineOn(
  database: Database,
  extra: Partial<ImportEngineOptions> = {},
): { engine: ImportEngine; starts: number[] } {
  const starts: number[] = [];
  const engine = bench.engine({
    ...realTime,
    db: database,
    send: (client, connection, input, options) => {
      starts.push(Date.now());
      return sendSignUp(client, connection, input, options);
    },
    ...extra,
  });
  return { engine, starts };
}

function connection(): {
  region: string;
  clientId: string;
  userPoolId: string;
  endpoint: string;
  profileName: string;
} {
  return {
    region: TEST_REGION,
    clientId: pool.clientId,
    userPoolId: pool.poolId,
    endpoint: proxy.endpoint,
    profileName: 'test',
  };
}

const rightSecret = (): Promise<string | null> => Promise.resolve(pool.clientSecret);

/** A job on this pool with the shared test password; tests give only what they vary. */
function jobOptions(
  path: string,
  options: Pick<StartOptions, 'rate' | 'concurrency'> & Partial<StartOptions>,
): StartOptions {
  return {
    path,
    connection: connection(),
    resolveSecret: rightSecret,
    passwordSource: { kind: 'shared', password: PASSWORD },
    ...options,
  };
}

async function expectUsersExist(usernames: string[]): Promise<void> {
  const found = await Promise.all(usernames.map((u) => getUser(proxy.upstream ?? '', pool.poolId, u)));
  expect(found.filter((user) => user === null)).toHaveLength(0);
}

function measuredRate(starts: number[]): number {
  const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  return span > 0 ? ((starts.length - 1) / span) * 1000 : 0;
}

describe('import engine against the fault-injecting Cognito proxy', () => {
  it('survives throttling, 5xx, resets and delays: every valid row created exactly once, none lost, rate under the cap', async () => {
    const { path, usernames } = await writeCsv('faults', 40, [
      'has space,space@example.com',
      'faults-001,dup@example.com',
    ]);
    // Well under the cap: the limiter's rules keep it from sending above the throttle for long, so a
    // throttle near the cap could go untested (the limiter slows down on the 5xx alone).
    const throttle = 8;
    proxy.control.set({
      throttleRps: throttle,
      serverError: { probability: 0.1, kind: 'InternalErrorException' },
      reset: { probability: 0.05 },
      delayMs: 15,
      seed: 42,
    });
    const { engine, starts } = engineOn(db, {
      retryPolicy: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 800 },
    });
    const cap = 25;
    const jobId = await engine.start(jobOptions(path, { rate: cap, concurrency: 6 }));
    const allowed: number[] = [];
    engine.onProgress((id, progress) => {
      if (id === jobId && progress.state === 'running') allowed.push(progress.allowedRate);
    });
    const summary = await engine.wait(jobId);

    expect(summary).toMatchObject({
      state: 'completed',
      rows: 42,
      valid: 40,
      created: 40,
      exists: 0,
      invalid: 2,
      failed: 0,
      remaining: 0,
    });
    const stats = proxy.stats();
    // A second creation of the same username would be answered UsernameExists, so 40 "created"
    // answers and no UsernameExists mean each user was created exactly once.
    expect(stats.created).toBe(40);
    expect(stats.answers['UsernameExistsException']).toBeUndefined();
    expect(Object.keys(stats.byUsername).sort()).toEqual([...usernames].sort());
    // The faults really happened and were retried (calls beyond one per user).
    expect(stats.answers['TooManyRequestsException'] ?? 0).toBeGreaterThan(0);
    expect((stats.answers['InternalErrorException'] ?? 0) + (stats.answers['reset'] ?? 0)).toBeGreaterThan(0);
    expect(stats.signUpCalls).toBe(starts.length);
    // Never above the cap in any 1-second window (request starts, as the engine sent them).
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(cap);
    // The rate went down while the faults lasted (AIMD), and never above the cap.
    expect(Math.min(...allowed)).toBeLessThan(throttle);
    expect(Math.max(...allowed)).toBeLessThanOrEqual(cap);
    await expectUsersExist(usernames);
    // Every row has a durable outcome; the invalid ones were never sent.
    const log = createLogStore(db).query({ jobId, limit: 500 });
    expect(log.entries).toHaveLength(42);
    expect(
      log.entries
        .filter((e) => e.outcome === 'invalid')
        .map((e) => e.username)
        .sort(),
    ).toEqual(['faults-001', 'has space']);
    expect(stats.byUsername['has space']).toBeUndefined();
    console.info(
      `[faults] ${starts.length} calls, measured ${measuredRate(starts).toFixed(1)}/s (cap ${cap}/s, proxy throttles above ${throttle}/s), max in any 1 s window: ${maxInAnyWindow(starts)}, allowed rate ${Math.min(...allowed).toFixed(1)}–${Math.max(...allowed).toFixed(1)}/s, answers ${JSON.stringify(stats.answers)}`,
    );
  }, 60_000);

  it('sends at the cap, never above it, when nothing throttles', async () => {
    const { path } = await writeCsv('steady', 40);
    const { engine, starts } = engineOn(db);
    const jobId = await engine.start(jobOptions(path, { rate: 20, concurrency: 8 }));
    expect((await engine.wait(jobId)).created).toBe(40);
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(20);
    const rate = measuredRate(starts);
    expect(rate).toBeGreaterThan(17);
    expect(rate).toBeLessThanOrEqual(20);
    console.info(
      `[steady] cap 20/s: measured ${rate.toFixed(2)}/s, max in any 1 s window ${maxInAnyWindow(starts)}`,
    );
  });

  it('on LimitExceeded counts the user created without a code, stops, never sends it again, and resume sends exactly the rest', async () => {
    const { path, usernames } = await writeCsv('quota', 30);
    proxy.control.set({ limitExceededAfter: 10 });
    const { engine } = engineOn(db);
    const jobId = await engine.start(jobOptions(path, { rate: 40, concurrency: 4 }));
    const stopped = await engine.wait(jobId);
    expect(stopped.state).toBe('stopped');
    expect(stopped.stopped).toBe(true);
    expect(stopped.stopReason).toMatchObject({ category: 'quota', errorName: 'LimitExceededException' });
    expect(stopped.stopReason?.hint).toMatch(/quota/i);

    const atStop = proxy.stats();
    const refused = atStop.answers['LimitExceededException'] ?? 0;
    // Only the calls already in flight when the first refusal came back (at most the concurrency).
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(4);
    expect(atStop.signUpCalls).toBe(10 + refused);
    // Each LimitExceeded created its user (as Cognito does): the job counts every user in the pool.
    expect(atStop.createdWithoutCode).toBe(refused);
    expect(stopped.created).toBe(10 + refused);
    expect(stopped.remaining).toBe(20 - refused);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.stats().signUpCalls).toBe(atStop.signUpCalls);
    expect(engine.getJob(jobId).state).toBe('stopped');

    const log = createLogStore(db);
    const created = log.query({ jobId, outcomes: ['created'], limit: 500 }).entries;
    const withOutcome = new Set(created.map((e) => e.username));
    const codeNotSent = log.query({
      jobId,
      outcomes: ['created'],
      errorName: 'LimitExceededException',
      limit: 500,
    }).entries;
    expect(codeNotSent).toHaveLength(refused);
    expect(codeNotSent.every((e) => e.note?.includes('code not sent') === true)).toBe(true);
    const rest = usernames.filter((u) => !withOutcome.has(u));
    expect(rest).toHaveLength(20 - refused);

    proxy.control.set({ limitExceededAfter: null });
    proxy.control.resetStats();
    await engine.resume(jobId, {
      resolveSecret: rightSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    const done = await engine.wait(jobId);
    expect(done).toMatchObject({
      state: 'completed',
      created: 30,
      exists: 0,
      failed: 0,
      remaining: 0,
      stopped: false,
    });
    // The users created without a code are never sent again.
    const after = proxy.stats();
    expect(Object.keys(after.byUsername).sort()).toEqual([...rest].sort());
    expect(Object.values(after.byUsername).every((n) => n === 1)).toBe(true);
    await expectUsersExist(usernames);
  });

  it('stops at once on a configuration error (wrong client secret → NotAuthorizedException)', async () => {
    const { path } = await writeCsv('config', 30);
    const { engine } = engineOn(db);
    const jobId = await engine.start(
      jobOptions(path, { rate: 50, concurrency: 3, resolveSecret: () => Promise.resolve('not-the-secret') }),
    );
    const summary = await engine.wait(jobId);
    expect(summary.state).toBe('stopped');
    expect(summary.stopReason).toMatchObject({ category: 'config', errorName: 'NotAuthorizedException' });
    expect(summary.stopReason?.hint).toMatch(/secret/i);
    expect(summary.created).toBe(0);
    expect(summary.remaining).toBe(30);
    expect(proxy.stats().signUpCalls).toBeLessThanOrEqual(3);
    expect(proxy.stats().created).toBe(0);
    // The secret went nowhere durable.
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM import_jobs').all()) +
      JSON.stringify(db.prepare('SELECT * FROM log_attempts').all());
    expect(dump).not.toContain('not-the-secret');
    expect(dump).not.toContain(PASSWORD);
  });

  it('pauses (nothing sent while paused) and resumes to completion, each user sent once', async () => {
    const { path, usernames } = await writeCsv('pause', 40);
    proxy.control.set({ delayMs: 20 });
    const { engine } = engineOn(db);
    const jobId = await engine.start(jobOptions(path, { rate: 40, concurrency: 4 }));
    await new Promise<void>((resolve) => {
      const off = engine.onRow((id) => {
        if (id === jobId && engine.progress(jobId).created >= 10) {
          off();
          resolve();
        }
      });
    });
    await engine.pause(jobId);
    const paused = await engine.wait(jobId);
    expect(paused.state).toBe('paused');
    expect(paused.created).toBeGreaterThanOrEqual(10);
    expect(paused.created).toBeLessThan(40);
    const calls = proxy.stats().signUpCalls;
    expect(calls).toBe(paused.created);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.stats().signUpCalls).toBe(calls);

    await engine.resume(jobId, {
      resolveSecret: rightSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    expect(await engine.wait(jobId)).toMatchObject({
      state: 'completed',
      created: 40,
      exists: 0,
      remaining: 0,
    });
    const stats = proxy.stats();
    expect(Object.keys(stats.byUsername)).toHaveLength(40);
    expect(Object.values(stats.byUsername).every((n) => n === 1)).toBe(true);
    await expectUsersExist(usernames);
  });

  it('after a crash with a row left "sending", resume reports it as exists — possibly created by the interrupted attempt', async () => {
    const { path, usernames } = await writeCsv('crash', 30);
    // The 12th request reaches Cognito (the user is created) but its answer never comes back, and
    // from then on nothing more is sent: the engine is frozen mid-job, as in a crash.
    let calls = 0;
    let frozenUsername = '';
    const never = new Promise<never>(() => undefined);
    let froze: () => void = () => undefined;
    const reachedFreeze = new Promise<void>((resolve) => {
      froze = resolve;
    });
    const crashing = bench.engine({
      ...realTime,
      send: async (client, conn, input) => {
        calls += 1;
        if (calls < 12) return sendSignUp(client, conn, input);
        if (calls === 12) {
          frozenUsername = input.username;
          await sendSignUp(client, conn, input);
          froze();
        }
        return never;
      },
    });
    const jobId = await crashing.start({
      path,
      connection: connection(),
      resolveSecret: rightSecret,
      passwordSource: { kind: 'shared', password: PASSWORD },
      rate: 50,
      concurrency: 3,
    });
    // The eleven answered rows count once their group has committed: their row events say so.
    let committedRows = 0;
    const committed = new Promise<void>((resolve) => {
      crashing.onRow((id) => {
        if (id === jobId && ++committedRows === 11) resolve();
      });
    });
    await Promise.all([reachedFreeze, committed]);
    expect(await getUser(proxy.upstream ?? '', pool.poolId, frozenUsername)).not.toBeNull();

    // "Restart": a new connection to the same database file and a new engine.
    const reopened = openDatabase(dbPath);
    try {
      const { engine } = engineOn(reopened);
      expect(engine.getJob(jobId).state).toBe('interrupted');
      const sending = reopened
        .prepare("SELECT username FROM import_rows WHERE job_id = ? AND state = 'sending'")
        .all(jobId) as Array<{
        username: string;
      }>;
      expect(sending.map((r) => r.username)).toContain(frozenUsername);

      proxy.control.resetStats();
      await engine.resume(jobId, {
        resolveSecret: rightSecret,
        passwordSource: { kind: 'shared', password: PASSWORD },
      });
      const summary = await engine.wait(jobId);
      expect(summary).toMatchObject({
        state: 'completed',
        rows: 30,
        created: 29,
        exists: 1,
        failed: 0,
        remaining: 0,
      });
      const exists = createLogStore(reopened).query({ jobId, outcomes: ['exists'], limit: 10 }).entries;
      expect(exists).toHaveLength(1);
      expect(exists[0]).toMatchObject({
        username: frozenUsername,
        note: INTERRUPTED_NOTE,
        errorName: 'UsernameExistsException',
      });
      // The resume sent only rows without an outcome: each once.
      const stats = proxy.stats();
      expect(Object.values(stats.byUsername).every((n) => n === 1)).toBe(true);
      expect(Object.keys(stats.byUsername)).toHaveLength(30 - 11);
      await expectUsersExist(usernames);
    } finally {
      reopened.close();
    }
  });
});
