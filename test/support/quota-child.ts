/**
 * Child process for the two-process quota test: one job that joins the shared budget in the given
 * database file, renews every 100 ms (setting its rate limiter's cap), "sends" at the pace the
 * limiter allows, leaves, and prints its start times and allocations as JSON. Real clock.
 * Usage: node --import tsx quota-child.ts <db file> <job id> <start at (epoch ms)> <until (epoch ms)>
 */
import { createRateLimiter, realClock } from '../../src/main/import/rate-limiter';
import { openQuotaBudget } from '../../src/main/quota/quota-budget';
import { openDatabase } from '../../src/main/store/database';

const [file = '', jobId = 'job', startText = '0', untilText = '0'] = process.argv.slice(2);
const startAt = Number(startText);
const until = Number(untilText);
const KEY = 'endpoint:eu-west-1:https://cognito-idp.eu-west-1.amazonaws.com';
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function main(): Promise<void> {
  const db = openDatabase(file);
  let decidedAt = 0;
  const budget = openQuotaBudget(db, { now: () => (decidedAt = Date.now()) });
  await wait(startAt - Date.now());
  const limiter = createRateLimiter({ cap: 40, clock: realClock });
  const handle = budget.join({ accountKey: KEY, quota: 50, requested: 40, jobId });
  const allocations: Array<{ at: number; rate: number; sharedWith: number }> = [];
  const apply = (answer: { allowedRate: number; sharedWith: number }): void => {
    limiter.setCap(Math.min(40, answer.allowedRate));
    allocations.push({ at: decidedAt, rate: answer.allowedRate, sharedWith: answer.sharedWith });
  };
  apply(handle.allowance());
  const timer = setInterval(() => apply(handle.renew()), 100);
  const starts: number[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      const start = await limiter.acquire();
      if (start >= until) return;
      starts.push(start);
      await wait(5);
    }
  };
  const workers = Promise.all(Array.from({ length: 4 }, worker));
  await wait(until - Date.now());
  clearInterval(timer);
  handle.leave();
  allocations.push({ at: decidedAt, rate: 0, sharedWith: 0 });
  limiter.setCap(40);
  await workers;
  db.close();
  process.stdout.write(JSON.stringify({ starts, allocations }));
}

void main();
