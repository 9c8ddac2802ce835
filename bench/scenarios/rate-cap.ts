/**
 * (a) The rate cap against an endpoint that throttles above it: the proxy (fast in-memory mode —
 * cognito-local slows down as its pool grows) answers TooManyRequestsException above 50 requests
 * in any sliding second, and the job runs with its cap at 50, the default UserCreation quota
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
 *
 * Rates come from the request arrival times the proxy recorded, not from the engine's own count.
 * Rows lost: every row of the file must have an outcome, and the users created must be exactly the
 * valid rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concurrencyFor } from '../../src/main/import/import-engine';
import { maxInAnyWindow } from '../../src/main/import/rate-limiter';
import { runEngineJob } from '../engine-run';
import { writeUsersCsv } from '../fixtures';
import { startProxyChild } from '../proxy-child';
import { round, type Scenario } from '../scenario';

const CAP = 50;
const ROWS = 1200;
const BAD_EVERY = 100;
// What the engine picks by default for this rate: in flight = rate × round trip (Little's law), for
// round trips up to 250 ms — 13 at 50/s. With 4, round trips of 90–140 ms on a loaded machine capped
// the rate at 4 / 0.12 s ≈ 33/s whatever the limiter allowed.
const CONCURRENCY = concurrencyFor(CAP);
const CLIENT = { clientId: 'bench-rate-client', poolId: 'us-east-1_benchRate', secret: 'bench-rate-secret' };

export const rateCapScenario: Scenario = {
  id: 'a',
  title: `Rate cap ${CAP}/s against an endpoint throttling above ${CAP}/s (${ROWS} rows)`,
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'signup-desk-bench-a-'));
    const proxy = await startProxyChild({
      [CLIENT.clientId]: { poolId: CLIENT.poolId, secret: CLIENT.secret },
    });
    try {
      await proxy.set({ fast: true, throttleRps: CAP });
      const file = await writeUsersCsv(join(dir, 'users.csv'), {
        rows: ROWS,
        prefix: 'rate',
        badEvery: BAD_EVERY,
      });
      const run = await runEngineJob({
        dir,
        csvPath: file.path,
        endpoint: proxy.endpoint,
        clientId: CLIENT.clientId,
        userPoolId: CLIENT.poolId,
        secret: CLIENT.secret,
        rate: CAP,
        concurrency: CONCURRENCY,
      });
      const arrivals = await proxy.arrivals();
      const stats = await proxy.stats();
      const first = arrivals[0] ?? 0;
      const last = arrivals.at(-1) ?? 0;
      const spanS = (last - first) / 1000;
      // n arrivals spaced 1/rate apart span (n - 1)/rate seconds.
      const sendRate = arrivals.length > 1 ? (arrivals.length - 1) / spanS : 0;
      const maxWindow = maxInAnyWindow(arrivals, 1000);
      const s = run.summary;
      const withOutcome = s.created + s.exists + s.invalid + s.failed;
      const throttled = stats.answers['TooManyRequestsException'] ?? 0;
      return {
        figures: [
          {
            name: 'send rate / cap (proxy arrivals)',
            value: round(sendRate / CAP),
            goal: { op: '>=', target: 0.95 },
            note: `${round(sendRate, 2)} req/s over ${round(spanS, 2)} s`,
          },
          {
            name: 'max in any sliding 1-s window / cap',
            value: round(maxWindow / CAP),
            goal: { op: '<=', target: 1 },
            note: `${maxWindow} requests`,
          },
          {
            name: 'rows lost (file rows − rows with an outcome)',
            value: file.rows - withOutcome,
            goal: { op: '==', target: 0 },
            note: `${file.rows} rows, ${withOutcome} with an outcome, ${s.remaining} remaining`,
          },
          {
            name: 'users created at the proxy − valid rows',
            value: stats.created - file.valid,
            goal: { op: '==', target: 0 },
            note: `${stats.created} created, ${file.valid} valid; engine says ${s.created} created, ${s.invalid} invalid, ${s.failed} failed`,
          },
          { name: 'throttled answers (TooManyRequests)', value: throttled },
        ],
        details: {
          cap: CAP,
          concurrency: CONCURRENCY,
          rows: file.rows,
          validRows: file.valid,
          invalidRows: file.invalid,
          signUpArrivals: arrivals.length,
          proxyAnswers: stats.answers,
          distinctUsernamesAtProxy: stats.distinctUsernames,
          summary: s,
          logEntries: run.logEntries,
          engineElapsedMs: round(run.elapsedMs, 1),
        },
      };
    } finally {
      await proxy.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
