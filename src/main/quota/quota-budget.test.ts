import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../store/database';
import { openQuotaBudget, type QuotaBudget, type QuotaHandle } from './quota-budget';

const KEY = 'endpoint:eu-west-1:https://cognito-idp.eu-west-1.amazonaws.com';

let dir: string;
let first: Database;
let second: Database;
let time: number;
const now = (): number => time;

/** Two connections to one file, each with its own owner: two processes in effect. */
let appBudget: QuotaBudget;
let cliBudget: QuotaBudget;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quota-budget-'));
  first = openDatabase(join(dir, 'db.sqlite'));
  second = openDatabase(join(dir, 'db.sqlite'));
  time = 1_000_000;
  appBudget = openQuotaBudget(first, { now, owner: 'app' });
  cliBudget = openQuotaBudget(second, { now, owner: 'cli' });
});

afterEach(() => {
  first.close();
  second.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the database says every live job of KEY may start at, summed. */
function allocatedSum(db: Database, key = KEY): number {
  const row = db
    .prepare(
      'SELECT COALESCE(SUM(rate), 0) AS total FROM quota_allocations WHERE account_key = ? AND released_at IS NULL',
    )
    .get(key);
  return Number(row?.['total']);
}

/**
 * Job a alone at 40, then job b (asking 40 too) joins from the other connection; both renew every
 * 250 ms for 4 s. Answers the summed allocations at each step and the sliding bound: each job's
 * highest allocation in the last second, summed — what their limiters' windows may hold at most,
 * since a limiter's starts in a window never exceed its highest rate in that window.
 */
function twoJobsAt40(appSide: QuotaBudget, cliSide: QuotaBudget) {
  const a = appSide.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
  expect(a.allowance()).toEqual({ allowedRate: 40, sharedWith: 1, quota: 50 });
  time += 100;
  const b = cliSide.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' });
  // The newcomer gets only what is free.
  expect(b.allowance()).toEqual({ allowedRate: 10, sharedWith: 2, quota: 50 });
  const history: Array<{ at: number; rates: number[] }> = [{ at: time, rates: [40, 10] }];
  const sums: number[] = [];
  const windowSums: number[] = [];
  for (let step = 0; step < 16; step += 1) {
    time += 250;
    // b renews first: the order in which a rise could take capacity a is only now freeing.
    const rateB = b.renew().allowedRate;
    const rateA = a.renew().allowedRate;
    history.push({ at: time, rates: [rateA, rateB] });
    sums.push(allocatedSum(first));
    const recent = history.filter((entry) => entry.at > time - 1000);
    windowSums.push(
      [0, 1].reduce((sum, j) => sum + Math.max(...recent.map((entry) => entry.rates[j] ?? 0)), 0),
    );
  }
  return { a, b, sums, windowSums };
}

/** Renews every handle each 250 ms from `from` to `until`, recording what each was allowed. */
function run(handles: QuotaHandle[], until: number): number[][] {
  const seen: number[][] = [];
  while (time < until) {
    time += 250;
    seen.push(handles.map((handle) => handle.renew().allowedRate));
  }
  return seen;
}

describe('a quota budget shared over one database file', () => {
  it('two jobs asking 40 each on a quota of 50 never sum above 50, and settle at 25 each', () => {
    const { a, b, sums, windowSums } = twoJobsAt40(appBudget, cliBudget);
    expect(Math.max(...sums)).toBeLessThanOrEqual(50);
    expect(Math.max(...windowSums)).toBeLessThanOrEqual(50);
    expect(a.allowance()).toEqual({ allowedRate: 25, sharedWith: 2, quota: 50 });
    expect(b.allowance()).toEqual({ allowedRate: 25, sharedWith: 2, quota: 50 });
  });

  it('without holding freed capacity for 1 s, the same two jobs could put 65 into one second', () => {
    const noHold = (db: Database, owner: string) => openQuotaBudget(db, { now, owner, holdMs: 1 });
    const { sums, windowSums } = twoJobsAt40(noHold(first, 'app'), noHold(second, 'cli'));
    expect(Math.max(...sums)).toBeLessThanOrEqual(50);
    expect(Math.max(...windowSums)).toBe(65);
  });

  it('a newcomer waits 1 s for the capacity another job freed', () => {
    const a = appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    const b = cliBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' });
    expect(b.allowance().allowedRate).toBe(10);
    time += 250;
    expect(a.renew().allowedRate).toBe(25); // freed 15 at t0 + 250
    expect(b.renew().allowedRate).toBe(10);
    time += 999;
    expect(b.renew().allowedRate).toBe(10); // 999 ms after: still held by a
    time += 1;
    a.renew();
    expect(b.renew().allowedRate).toBe(25);
  });

  it('capacity of a job that left is usable by others 1 s later', () => {
    const a = appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    const b = cliBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' });
    time += 300;
    a.leave();
    expect(b.renew()).toEqual({ allowedRate: 10, sharedWith: 1, quota: 50 });
    time += 1000;
    expect(b.renew()).toEqual({ allowedRate: 40, sharedWith: 1, quota: 50 });
    a.leave();
    expect(allocatedSum(second)).toBe(40);
  });

  it('reclaims a job whose process stopped renewing, after its ttl and one more second', () => {
    const crashed = appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    const b = cliBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' });
    expect(crashed.expiresAt()).toBe(time + 3000);
    const crashedAt = time;
    const seen = run([b], crashedAt + 4500);
    // Up to heartbeat + 3 s + 1 s the crashed job's 40 still count; from then on b has its full ask.
    seen.forEach((rates, i) => {
      const at = crashedAt + 250 * (i + 1);
      expect(rates[0]).toBe(at < crashedAt + 4000 ? 10 : 40);
    });
    expect(b.allowance().sharedWith).toBe(1);
    const rows = first.prepare("SELECT COUNT(*) AS n FROM quota_allocations WHERE job_id = 'job-a'").get();
    expect(Number(rows?.['n'])).toBe(0);
  });

  it('a job reclaimed while frozen comes back as a newcomer, not with its old rate', () => {
    const a = appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    time += 3500; // a frozen past its ttl; b arrives after the reclaim but within a's hold
    const b = cliBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' });
    expect(b.allowance().allowedRate).toBe(10);
    time += 100;
    expect(a.renew()).toEqual({ allowedRate: 0, sharedWith: 2, quota: 50 });
    expect(allocatedSum(first)).toBeLessThanOrEqual(50);
  });

  it('different account keys do not interfere', () => {
    const a = appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    const other = cliBudget.join({
      accountKey: 'account:123456789012:eu-west-1',
      quota: 50,
      requested: 40,
      jobId: 'job-b',
    });
    expect(a.allowance()).toEqual({ allowedRate: 40, sharedWith: 1, quota: 50 });
    expect(other.allowance()).toEqual({ allowedRate: 40, sharedWith: 1, quota: 50 });
    time += 250;
    expect(a.renew().allowedRate).toBe(40);
  });

  it('resuming a job in another process holds its old allocation until it is a second old', () => {
    appBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    time += 100;
    const resumed = cliBudget.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-a' });
    expect(resumed.allowance()).toEqual({ allowedRate: 10, sharedWith: 1, quota: 50 });
    time += 1000;
    expect(resumed.renew().allowedRate).toBe(40);
  });

  it('uses a raised quota, and never gives a job more than it asked', () => {
    const a = appBudget.join({ accountKey: KEY, quota: 200, requested: 120, jobId: 'job-a' });
    const b = cliBudget.join({ accountKey: KEY, quota: 200, requested: 12.5, jobId: 'job-b' });
    expect(a.allowance().allowedRate).toBe(120);
    expect(b.allowance()).toEqual({ allowedRate: 13, sharedWith: 2, quota: 200 });
  });

  it('opening the budget clears rows of any key that hold nothing any more', () => {
    appBudget.join({ accountKey: 'account:210987654321:us-east-1', quota: 50, requested: 5, jobId: 'gone' });
    const left = cliBudget.join({ accountKey: KEY, quota: 50, requested: 5, jobId: 'left' });
    left.leave();
    const count = () => Number(first.prepare('SELECT COUNT(*) AS n FROM quota_allocations').get()?.['n']);
    time += 3999;
    openQuotaBudget(second, { now, owner: 'cli' });
    expect(count()).toBe(1);
    time += 1;
    openQuotaBudget(second, { now, owner: 'cli' });
    expect(count()).toBe(0);
  });

  it('refuses a quota that is not a whole positive number', () => {
    expect(() => appBudget.join({ accountKey: KEY, quota: 0, requested: 1, jobId: 'x' })).toThrow(RangeError);
    expect(() => appBudget.join({ accountKey: KEY, quota: 50, requested: 0, jobId: 'x' })).toThrow(
      RangeError,
    );
  });
});
