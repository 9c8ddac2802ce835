/**
 * The budget and two jobs' rate limiters together, on virtual time: what reaches Cognito from
 * both jobs in every 1-s window, while one job's share drops 40 → 25 and the other's rises 10 → 25.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, LateClock } from '../../../test/support/fake-clock';
import { createRateLimiter, maxInAnyWindow } from '../import/rate-limiter';
import { openDatabase, type Database } from '../store/database';
import { openQuotaBudget, type QuotaBudget } from './quota-budget';

const KEY = 'endpoint:eu-west-1:https://cognito-idp.eu-west-1.amazonaws.com';

let dir: string;
let dbs: Database[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-pacing-'));
  dbs = [];
});

afterEach(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function budget(clock: FakeClock, owner: string, holdMs: number): QuotaBudget {
  const db = openDatabase(join(dir, 'db.sqlite'));
  dbs.push(db);
  return openQuotaBudget(db, { now: clock.now, owner, holdMs });
}

/** A job: joins at `from`, renews every 250 ms (setting its limiter's cap), sends until `until`. */
async function job(
  clock: FakeClock,
  quota: QuotaBudget,
  jobId: string,
  window: { from: number; until: number },
): Promise<number[]> {
  await clock.sleep(window.from - clock.now());
  const limiter = createRateLimiter({ cap: 40, clock });
  const handle = quota.join({ accountKey: KEY, quota: 50, requested: 40, jobId });
  limiter.setCap(Math.min(40, handle.allowance().allowedRate));
  const starts: number[] = [];
  const renewing = (async () => {
    while (clock.now() < window.until) {
      await clock.sleep(250);
      limiter.setCap(Math.min(40, handle.renew().allowedRate));
    }
  })();
  const worker = async (): Promise<void> => {
    for (;;) {
      const start = await limiter.acquire();
      if (start >= window.until) return;
      starts.push(start);
      await clock.sleep(30);
    }
  };
  await Promise.all([renewing, ...Array.from({ length: 6 }, worker)]);
  handle.leave();
  // Wake any waiter parked at a cap of 0, so the job's workers end.
  limiter.setCap(40);
  return starts;
}

async function twoJobs(holdMs: number, clock = new FakeClock()): Promise<{ a: number[]; b: number[] }> {
  const app = budget(clock, 'app', holdMs);
  const cli = budget(clock, 'cli', holdMs);
  const both = Promise.all([
    job(clock, app, 'job-a', { from: 0, until: 6000 }),
    job(clock, cli, 'job-b', { from: 2000, until: 9000 }),
  ]);
  await clock.run();
  const [a, b] = await both;
  return { a, b };
}

describe('two jobs paced through one budget', () => {
  it('never put more than the quota into any 1-s window, and use it once settled', async () => {
    const { a, b } = await twoJobs(1000);
    expect(maxInAnyWindow([...a, ...b])).toBeLessThanOrEqual(50);
    // Alone, a job has its full 40/s; sharing, 25/s each; after a left (+1 s), b has 40 again.
    expect(a.filter((t) => t >= 1000 && t < 2000)).toHaveLength(40);
    expect(a.filter((t) => t >= 4000 && t < 5000)).toHaveLength(25);
    expect(b.filter((t) => t >= 4000 && t < 5000)).toHaveLength(25);
    expect(b.filter((t) => t >= 8000 && t < 9000).length).toBeGreaterThanOrEqual(39);
  });

  it('stay under the quota on a loaded machine too (every timer up to 40 ms late)', async () => {
    const { a, b } = await twoJobs(1000, new LateClock(40));
    expect(maxInAnyWindow([...a, ...b])).toBeLessThanOrEqual(50);
    expect(a.length + b.length).toBeGreaterThan(300);
  });
});
