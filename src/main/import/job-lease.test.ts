/**
 * Who runs a job when several engines share one data folder: each engine here stands for a
 * process (its own pid and start time, its own connection to the one SQLite file), all on one fake
 * clock. The claim is atomic, the lease is renewed while the job runs, a holder that stopped
 * renewing loses the job to the next one, and a pid says nothing on its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, whenReached, type EngineBench } from '../../../test/support/import-engine-setup';
import type { sendSignUp } from '../cognito/sign-up-call';
import { openDatabase, type Database } from '../store/database';
import type { ImportEngine, ImportEngineOptions } from './import-engine';
import { clockTime, LEASE_MS, RENEW_EVERY_MS, type OwnerIdentity } from './job-lease';
import type { Scheduler } from './engine/timing';

type Send = typeof sendSignUp;

const PASSWORD = 'Shared-Secret-Pass9';
const connection = {
  region: 'us-east-1',
  clientId: 'client123',
  userPoolId: 'us-east-1_abc',
  endpoint: 'http://127.0.0.1:9',
};
const noSecret = (): Promise<string | null> => Promise.resolve(null);
const shared = { kind: 'shared', password: PASSWORD } as const;
const resumeOptions = { resolveSecret: noSecret, passwordSource: shared };

/** Timers that never fire: a process that stopped renewing (crashed, killed, frozen). */
const stoppedTimers: Scheduler = { setTimeout: () => 0, clearTimeout: () => undefined };

const PROCESS_A: OwnerIdentity = { pid: 4101, startedAt: 1_699_999_000_000 };
const PROCESS_B: OwnerIdentity = { pid: 4102, startedAt: 1_699_999_100_000 };

let bench: EngineBench;
const connections: Database[] = [];

beforeEach(async () => {
  bench = await openEngineBench('signup-desk-lease-');
});
afterEach(async () => {
  for (const db of connections.splice(0)) db.close();
  await bench.close();
});

/** One Cognito for every engine: it remembers whom it created and counts each username's calls. */
function pool(): { send: (who: string) => Send; calls: Map<string, number>; by: Map<string, string[]> } {
  const users = new Set<string>();
  const calls = new Map<string, number>();
  const by = new Map<string, string[]>();
  return {
    calls,
    by,
    send: (who) => (_client, _connection, input) => {
      calls.set(input.username, (calls.get(input.username) ?? 0) + 1);
      by.set(who, [...(by.get(who) ?? []), input.username]);
      if (users.has(input.username))
        return Promise.resolve({
          kind: 'error',
          error: { category: 'exists', name: 'UsernameExistsException', message: 'exists' },
        });
      users.add(input.username);
      return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
    },
  };
}

/** An engine standing for another process: its own connection to the file, its own identity. */
function processEngine(identity: OwnerIdentity, options: Partial<ImportEngineOptions> = {}): ImportEngine {
  const db = openDatabase(bench.dbPath);
  connections.push(db);
  // No shared quota budget: these tests freeze a process inside its own limiter's wait.
  return bench.engine({ db, identity, quotaBudget: null, ...options });
}

async function csvOf(name: string, count: number): Promise<{ path: string; usernames: string[] }> {
  const usernames = Array.from({ length: count }, (_, i) => `${name}-${String(i).padStart(3, '0')}`);
  return { path: await bench.csv(`${name}.csv`, ['username', ...usernames]), usernames };
}

/** A job started and paused before it sent anything. */
async function pausedJob(path: string, send: Send, rate: number | null = null): Promise<string> {
  const starter = bench.engine({ send });
  const jobId = await starter.start({
    path,
    connection,
    resolveSecret: noSecret,
    passwordSource: shared,
    rate,
  });
  await starter.pause(jobId);
  expect(starter.getJob(jobId).state).toBe('paused');
  return jobId;
}

/** Requests that hang until `release` (a frozen process), then answer with `then`. */
function hanging(
  then: Send,
  reached: { check(count: number): void },
): { send: Send; release(): void; calls(): number } {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  return {
    send: async (...args) => {
      reached.check(++calls);
      await released;
      return then(...args);
    },
    release: () => release(),
    calls: () => calls,
  };
}

const ownerMessage = (identity: OwnerIdentity, since: number): RegExp =>
  new RegExp(`running in another window or process \\(pid ${identity.pid}, since ${clockTime(since)}\\)`);

describe('job leases', () => {
  it('claims atomically: of two processes resuming one paused job in the same tick, exactly one runs, the other is told where it runs', async () => {
    const { path, usernames } = await csvOf('race', 40);
    const cognito = pool();
    const jobId = await pausedJob(path, cognito.send('starter'));
    const a = processEngine(PROCESS_A, { send: cognito.send('a') });
    const b = processEngine(PROCESS_B, { send: cognito.send('b') });
    const claimedAt = bench.time.now();

    const [ra, rb] = await Promise.allSettled([
      a.resume(jobId, resumeOptions),
      b.resume(jobId, resumeOptions),
    ]);
    const won = [ra, rb].filter((r) => r.status === 'fulfilled');
    const lost = [ra, rb].filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const [winner, winnerIdentity] = ra.status === 'fulfilled' ? [a, PROCESS_A] : [b, PROCESS_B];
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
      name: 'JobRunning',
      message: expect.stringMatching(ownerMessage(winnerIdentity, claimedAt)),
    });

    expect(await winner.wait(jobId)).toMatchObject({ state: 'completed', created: 40, exists: 0 });
    expect([...cognito.calls.keys()].sort()).toEqual(usernames);
    expect([...cognito.calls.values()].every((n) => n === 1)).toBe(true);
    expect(cognito.by.size).toBe(1);
    // Ended runs give the job up.
    expect(winner.getJob(jobId).owner).toBeNull();
  });

  it('renews the lease while the job runs: another process is refused however long it takes', async () => {
    const { path } = await csvOf('long', 5);
    const cognito = pool();
    const jobId = await pausedJob(path, cognito.send('starter'));
    // A's requests hang until the test lets them answer.
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const inFlight = whenReached(1);
    let sent = 0;
    const a = processEngine(PROCESS_A, {
      send: async (...args) => {
        inFlight.check(++sent);
        await answered;
        return cognito.send('a')(...args);
      },
    });
    const b = processEngine(PROCESS_B, { send: cognito.send('b') });
    const claimedAt = bench.time.now();
    await a.resume(jobId, resumeOptions);
    await inFlight.reached;

    // Six lease lengths: renewals (every RENEW_EVERY_MS) keep the claim A's.
    for (let waited = 0; waited < 6 * LEASE_MS; waited += RENEW_EVERY_MS) {
      await bench.time.advance(RENEW_EVERY_MS);
      expect(b.getJob(jobId).state).toBe('running');
    }
    const owner = b.getJob(jobId).owner;
    expect(owner).toMatchObject({ pid: PROCESS_A.pid, startedAt: PROCESS_A.startedAt, since: claimedAt });
    expect(owner?.leaseUntil).toBeGreaterThan(bench.time.now());
    await expect(b.resume(jobId, resumeOptions)).rejects.toMatchObject({
      name: 'JobRunning',
      message: expect.stringMatching(ownerMessage(PROCESS_A, claimedAt)),
    });
    // Nor can B cancel it under A's feet (A's end would overwrite the cancel).
    await expect(b.cancel(jobId)).rejects.toMatchObject({ name: 'JobRunning' });

    answer();
    expect(await a.wait(jobId)).toMatchObject({ state: 'completed', created: 5 });
    expect(cognito.by.get('b')).toBeUndefined();
    await expect(b.resume(jobId, resumeOptions)).rejects.toMatchObject({ name: 'JobFinished' });
  });

  it('a holder that stopped renewing loses the job when its lease ends: the job is interrupted, the next process takes it over, and the old holder sends nothing more', async () => {
    const { path, usernames } = await csvOf('crash', 6);
    const cognito = pool();
    const jobId = await pausedJob(path, cognito.send('starter'), 1);
    // A sends its first row, then freezes in the rate limiter's wait, and renews nothing: a
    // crashed process, as far as the database can tell.
    const parked: Array<() => void> = [];
    const frozen = whenReached(1);
    let awake = false;
    const a = processEngine(PROCESS_A, {
      send: cognito.send('a'),
      sleep: (ms) =>
        awake
          ? bench.time.sleep(ms)
          : new Promise<void>((resolve) => {
              parked.push(resolve);
              frozen.check(parked.length);
            }),
      leaseTimers: stoppedTimers,
    });
    const b = processEngine(PROCESS_B, { send: cognito.send('b') });
    await a.resume(jobId, resumeOptions);
    await frozen.reached;
    expect(cognito.by.get('a')).toEqual([usernames[0]]);

    await bench.time.advance(LEASE_MS - 1);
    expect(b.getJob(jobId).state).toBe('running');
    await expect(b.resume(jobId, resumeOptions)).rejects.toMatchObject({ name: 'JobRunning' });
    // The lease has ended: no pid is asked, the job is resumable.
    await bench.time.advance(1);
    expect(b.getJob(jobId)).toMatchObject({ state: 'interrupted', owner: null });
    await b.resume(jobId, resumeOptions);
    expect(await b.wait(jobId)).toMatchObject({ state: 'completed', remaining: 0 });
    expect(cognito.by.get('b')?.sort()).toEqual(usernames.slice(1));

    // A wakes up: it finds its claim lapsed before its next request, and leaves B's job alone.
    awake = true;
    for (const resume of parked.splice(0)) resume();
    const stale = await a.wait(jobId);
    expect(cognito.by.get('a')).toEqual([usernames[0]]);
    expect(stale.state).toBe('completed');
    expect(b.getJob(jobId)).toMatchObject({ state: 'completed', stopReason: null, owner: null });
    expect([...cognito.calls.values()].every((n) => n === 1)).toBe(true);
  });

  it('tells processes apart by pid and start time: a reused pid is another process, and its own claims are left over only to the same process', async () => {
    const { path, usernames } = await csvOf('reuse', 4);
    const cognito = pool();
    const jobId = await pausedJob(path, cognito.send('starter'));
    // The holder had the pid of a process that is alive now (this test runner's parent).
    const crashed: OwnerIdentity = { pid: process.ppid, startedAt: 1_600_000_000_000 };
    const reborn: OwnerIdentity = { pid: process.ppid, startedAt: 1_600_000_500_000 };
    const parked = whenReached(1);
    const frozen = hanging(cognito.send('holder'), parked);
    const holder = processEngine(crashed, { send: frozen.send, leaseTimers: stoppedTimers });
    const claimedAt = bench.time.now();
    await holder.resume(jobId, resumeOptions);
    await parked.reached;

    // The same pid, started later: not the holder, so its claim stands until the lease ends…
    const reused = processEngine(reborn, { send: cognito.send('reused') });
    await expect(reused.resume(jobId, resumeOptions)).rejects.toMatchObject({
      name: 'JobRunning',
      message: expect.stringMatching(ownerMessage(crashed, claimedAt)),
    });
    // …and then no longer, though a process with that pid is alive.
    await bench.time.advance(LEASE_MS);
    await reused.resume(jobId, resumeOptions);
    // The holder's request never reached Cognito (it hangs before it).
    expect(await reused.wait(jobId)).toMatchObject({ state: 'completed', created: 4, exists: 0 });
    expect(cognito.by.get('reused')?.sort()).toEqual(usernames);

    // A new engine of the very process that holds a claim (same pid, same start) knows the claim
    // is left over at once: that process runs nothing before its engine exists.
    const second = await pausedJob(path, cognito.send('starter'));
    const sending = whenReached(1);
    const stuck = hanging(cognito.send('again'), sending);
    const again = processEngine(PROCESS_A, { send: stuck.send, leaseTimers: stoppedTimers });
    await again.resume(second, resumeOptions);
    await sending.reached;
    const restarted = processEngine(PROCESS_A, { send: cognito.send('restarted') });
    expect(restarted.getJob(second)).toMatchObject({ state: 'interrupted', owner: null });

    // The frozen holders wake past their leases: they send nothing more and write nothing.
    await bench.time.advance(LEASE_MS);
    const inFlight = [frozen.calls(), stuck.calls()];
    frozen.release();
    stuck.release();
    await Promise.all([holder.wait(jobId), again.wait(second)]);
    expect([frozen.calls(), stuck.calls()]).toEqual(inFlight);
    expect(restarted.getJob(jobId).state).toBe('completed');
    expect(restarted.getJob(second)).toMatchObject({ state: 'interrupted', owner: null });
  });

  it('two retries of one job at once: one creates the retry job, the other is refused, and while it runs no second retry starts', async () => {
    const { path } = await bench
      .csv('failing.csv', ['username', 'bad-1', 'ok-1', 'bad-2'])
      .then((p) => ({ path: p }));
    let failing = true;
    const calls = new Map<string, number>();
    const send: Send = (_client, _connection, input) => {
      calls.set(input.username, (calls.get(input.username) ?? 0) + 1);
      if (failing && input.username.startsWith('bad'))
        return Promise.resolve({
          kind: 'error',
          error: { category: 'row', name: 'InvalidParameterException', message: 'scripted' },
        });
      return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
    };
    const first = bench.engine({ send });
    const parentId = await first.start({ path, connection, resolveSecret: noSecret, passwordSource: shared });
    expect(await first.wait(parentId)).toMatchObject({ state: 'completed', failed: 2 });
    failing = false;
    calls.clear();

    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const slow: Send = async (...args) => {
      await answered;
      return send(...args);
    };
    const a = processEngine(PROCESS_A, { send: slow });
    const b = processEngine(PROCESS_B, { send: slow });
    const claimedAt = bench.time.now();
    const [ra, rb] = await Promise.allSettled([
      a.retryFailed(parentId, resumeOptions),
      b.retryFailed(parentId, resumeOptions),
    ]);
    const won = [ra, rb].filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const [winner, loser, winnerIdentity] = ra.status === 'fulfilled' ? [a, b, PROCESS_A] : [b, a, PROCESS_B];
    expect(([ra, rb].find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      name: 'JobRunning',
      message: expect.stringMatching(ownerMessage(winnerIdentity, claimedAt)),
    });
    const retryId = (won[0] as PromiseFulfilledResult<string>).value;

    // The retry job runs: retrying the parent again would send the same rows.
    await expect(loser.retryFailed(parentId, resumeOptions)).rejects.toMatchObject({
      name: 'JobRunning',
      message: expect.stringMatching(
        `Its failed rows are being retried in another window or process \\(pid ${winnerIdentity.pid}`,
      ),
    });
    answer();
    expect(await winner.wait(retryId)).toMatchObject({ state: 'completed', created: 2 });
    expect(Object.fromEntries(calls)).toEqual({ 'bad-1': 1, 'bad-2': 1 });
    expect(loser.listJobs().filter((job) => job.parentJobId === parentId)).toHaveLength(1);
  });
});
