/**
 * (a) The rate cap against an endpoint that throttles above it: the proxy (fast in-memory mode —
 * cognito-local slows down as its pool grows) answers TooManyRequestsException above 50 requests
 * in any sliding second, and the job runs with its cap at 50, the default UserCreation quota
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html), and the default
 * parallelism (it follows the observed latency).
 * (a4, a10) The same against an endpoint answering in 400 ms and in 1 s (a pool in another region,
 * a pre sign-up Lambda): the parallelism must grow so that the cap binds, never the parallelism.
 *
 * Rates come from the request arrival times the proxy recorded, not from the engine's own count.
 * Rows lost: every row of the file must have an outcome, and the users created must be exactly the
 * valid rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxInAnyWindow } from '../../src/main/import/rate-limiter';
import { runEngineJob } from '../engine-run';
import { writeUsersCsv } from '../fixtures';
import { startProxyChild } from '../proxy-child';
import { round, type Scenario } from '../scenario';

const CAP = 50;
const ROWS = 1200;
const BAD_EVERY = 100;
const CLIENT = { clientId: 'bench-rate-client', poolId: 'us-east-1_benchRate', secret: 'bench-rate-secret' };

/** The scenario at one endpoint latency: 1200 rows at 50/s ≈ 24 s of sending. */
function capScenario(id: string, delayMs: number): Scenario {
  const answering = delayMs === 0 ? '' : ` answering in ${delayMs} ms`;
  return {
    id,
    title: `Rate cap ${CAP}/s against an endpoint${answering} throttling above ${CAP}/s (${ROWS} rows)`,
    run: () => runCapScenario(id, delayMs),
  };
}

export const rateCapScenario = capScenario('a', 0);
export const rateCapLatency400Scenario = capScenario('a4', 400);
export const rateCapLatency1000Scenario = capScenario('a10', 1000);

async function runCapScenario(id: string, delayMs: number): ReturnType<Scenario['run']> {
  const dir = await mkdtemp(join(tmpdir(), `signup-desk-bench-${id}-`));
  const proxy = await startProxyChild({
    [CLIENT.clientId]: { poolId: CLIENT.poolId, secret: CLIENT.secret },
  });
  try {
    await proxy.set({ fast: true, throttleRps: CAP, delayMs });
    const file = await writeUsersCsv(join(dir, 'users.csv'), {
      rows: ROWS,
      prefix: `rate${id}`,
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
        endpointLatencyMs: delayMs,
        concurrency: 'default (follows the observed latency)',
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
}
