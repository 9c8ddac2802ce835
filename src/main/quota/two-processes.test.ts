/**
 * Two real processes — as the app and a CLI would be — each running a job against one database
 * file, with real clocks and real rate limiters: what both start together stays within the quota.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { maxInAnyWindow } from '../import/rate-limiter';
import { openDatabase } from '../store/database';
import { openQuotaBudget } from './quota-budget';

const run = promisify(execFile);
const CHILD = resolve(__dirname, '../../../test/support/quota-child.ts');

interface ChildReport {
  starts: number[];
  allocations: Array<{ at: number; rate: number; sharedWith: number }>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quota-processes-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function child(file: string, jobId: string, startAt: number, until: number): Promise<ChildReport> {
  const args = ['--import', 'tsx', CHILD, file, jobId, String(startAt), String(until)];
  const { stdout } = await run(process.execPath, args, { cwd: resolve(__dirname, '../../..') });
  return JSON.parse(stdout) as ChildReport;
}

/** Each job's highest allocation in the second before every decision, summed across jobs. */
function slidingAllocationBound(jobs: ChildReport[]): number {
  const times = jobs.flatMap((job) => job.allocations.map((entry) => entry.at));
  let worst = 0;
  for (const t of times) {
    const sum = jobs.reduce((total, job) => {
      // The allocation in force at t - 1000 counts too: it was in force during the window.
      const before = job.allocations.filter((entry) => entry.at <= t - 1000).at(-1)?.rate ?? 0;
      const inside = job.allocations
        .filter((entry) => entry.at > t - 1000 && entry.at <= t)
        .map((e) => e.rate);
      return total + Math.max(before, ...inside);
    }, 0);
    worst = Math.max(worst, sum);
  }
  return worst;
}

it('two processes asking 40/s each on a 50/s quota start at most 50 in any second', async () => {
  const file = join(dir, 'db.sqlite');
  // Create the table first so the two children do not both migrate at the same moment.
  const db = openDatabase(file);
  openQuotaBudget(db, { now: Date.now });
  db.close();
  // Room for both children to start (tsx compiles on the fly), then a runs 3 s and b joins 1 s in.
  const t0 = Date.now() + 3000;
  const [a, b] = await Promise.all([
    child(file, 'job-a', t0, t0 + 3000),
    child(file, 'job-b', t0 + 1000, t0 + 4000),
  ]);
  expect(a.starts.length).toBeGreaterThan(50);
  expect(b.starts.length).toBeGreaterThan(50);
  // They did overlap, and saw each other.
  expect(Math.max(...b.allocations.map((entry) => entry.sharedWith))).toBe(2);
  // Whichever joined second (b, unless a's process was slow to start) began with what was free.
  const later = (a.allocations[0]?.at ?? 0) < (b.allocations[0]?.at ?? 0) ? b : a;
  expect(maxInAnyWindow([...a.starts, ...b.starts])).toBeLessThanOrEqual(50);
  expect(slidingAllocationBound([a, b])).toBeLessThanOrEqual(50);
  // 10, not the fair share of 25 it would have taken from the other job at once.
  expect(later.allocations[0]?.rate).toBe(10);
}, 30_000);
