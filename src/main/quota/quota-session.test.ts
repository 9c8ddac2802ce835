import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock';
import { createRateLimiter } from '../import/rate-limiter';
import { openDatabase, type Database } from '../store/database';
import { openQuotaBudget, type Allowance, type QuotaBudget } from './quota-budget';
import { startQuotaSession, type Timers } from './quota-session';

const KEY = 'endpoint:eu-west-1:https://cognito-idp.eu-west-1.amazonaws.com';

/** Timers on the fake clock: each fires when the clock's run reaches it. */
function fakeTimers(clock: FakeClock): Timers & { pending: () => number } {
  let live = new Set<number>();
  let next = 0;
  return {
    setTimeout(callback, ms) {
      const id = (next += 1);
      live.add(id);
      void clock.sleep(ms).then(() => {
        if (live.delete(id)) callback();
      });
      return id;
    },
    clearTimeout(handle) {
      live = new Set([...live].filter((id) => id !== handle));
    },
    pending: () => live.size,
  };
}

let dir: string;
let db: Database;
let clock: FakeClock;
let budget: QuotaBudget;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quota-session-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  clock = new FakeClock();
  clock.time = 10_000;
  budget = openQuotaBudget(db, { now: clock.now, owner: 'test' });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function session(jobId: string, userCap: number, changes: Allowance[] = []) {
  const limiter = createRateLimiter({ cap: userCap, clock });
  const handle = budget.join({ accountKey: KEY, quota: 50, requested: userCap, jobId });
  const timers = fakeTimers(clock);
  const started = startQuotaSession({
    handle,
    limiter,
    userCap,
    timers,
    now: clock.now,
    intervalMs: 250,
    onChange: (allowance) => changes.push(allowance),
  });
  return { limiter, handle, timers, session: started };
}

describe('a job run in the budget', () => {
  it('keeps its limiter at min(user cap, allowed) as a second job comes and goes', async () => {
    const changes: Allowance[] = [];
    const a = session('job-a', 40, changes);
    expect(a.limiter.cap).toBe(40);
    const b = session('job-b', 30);
    expect(b.limiter.cap).toBe(10);
    await clock.run(clock.time + 250);
    expect(a.limiter.cap).toBe(25);
    expect(changes.at(-1)).toEqual({ allowedRate: 25, sharedWith: 2, quota: 50 });
    await clock.run(clock.time + 1500);
    expect(b.limiter.cap).toBe(25);
    b.session.end();
    await clock.run(clock.time + 1500);
    expect(a.limiter.cap).toBe(40);
    expect(changes.at(-1)).toEqual({ allowedRate: 40, sharedWith: 1, quota: 50 });
    a.session.end();
    expect(a.timers.pending()).toBe(0);
  });

  it('a user cap below the allowance is the cap', () => {
    const a = session('job-a', 12.5);
    expect(a.session.allowance().allowedRate).toBe(13);
    expect(a.limiter.cap).toBe(12.5);
    a.session.end();
  });

  it('never hands out a start past its lease: a frozen job renews first, as a newcomer', async () => {
    const a = session('job-a', 40);
    const joinedAt = clock.time;
    // a's process is frozen for 3.5 s (no timer of it runs); meanwhile b joins from another
    // process and gets the 10 that a's reclaimed 40 does not still hold.
    clock.time += 3500;
    const other = openQuotaBudget(db, { now: clock.now, owner: 'other' });
    expect(
      other.join({ accountKey: KEY, quota: 50, requested: 40, jobId: 'job-b' }).allowance().allowedRate,
    ).toBe(10);
    // a wakes with a worker asking for a start: its limiter has one at once, but the lease ran out.
    const start = a.session.acquire();
    await clock.run(joinedAt + 3999);
    expect(a.limiter.cap).toBe(0);
    expect(a.session.allowance()).toMatchObject({ allowedRate: 0, sharedWith: 2 });
    // Its old 40 are held until heartbeat + ttl + 1 s; then a is a newcomer with its fair share.
    await clock.run(joinedAt + 4100);
    expect(await start).toBe(joinedAt + 4000);
    expect(a.limiter.cap).toBe(25);
    a.session.end();
  });

  it('a renew that fails stops the job sending until one succeeds', async () => {
    const errors: unknown[] = [];
    const limiter = createRateLimiter({ cap: 20, clock });
    const handle = budget.join({ accountKey: KEY, quota: 50, requested: 20, jobId: 'job-a' });
    let broken = true;
    const flaky = {
      ...handle,
      renew: () =>
        broken
          ? (() => {
              throw new Error('database is locked');
            })()
          : handle.renew(),
    };
    const s = startQuotaSession({
      handle: flaky,
      limiter,
      userCap: 20,
      timers: fakeTimers(clock),
      now: clock.now,
      intervalMs: 250,
      onError: (error) => errors.push(error),
    });
    await clock.run(clock.time + 250);
    expect(limiter.cap).toBe(0);
    expect(errors).toHaveLength(1);
    broken = false;
    await clock.run(clock.time + 250);
    expect(limiter.cap).toBe(20);
    s.end();
  });
});
