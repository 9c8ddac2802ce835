/**
 * The whole engine on a fake clock against a SignUp that answers in 400 ms (a pool in another
 * region, a pre sign-up Lambda): with the default parallelism the cap binds, never the
 * parallelism; a concurrency the user gives stays a hard limit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../../test/support/import-engine-setup';
import type { sendSignUp } from '../../cognito/sign-up-call';
import { maxInAnyWindow } from '../rate-limiter';
import type { StartOptions } from '../import-engine';

const CAP = 40;
const LATENCY_MS = 400;
const ROWS = 400; // 10 s of sending at the cap

let bench: EngineBench;
beforeEach(async () => {
  bench = await openEngineBench('signup-desk-latency-pacing-');
});
afterEach(async () => {
  await bench.close();
});

/** Sends `ROWS` rows through an engine whose SignUp takes LATENCY_MS; returns the start times. */
async function run(
  speed: Pick<StartOptions, 'concurrency'>,
): Promise<{ starts: number[]; maxInFlight: number }> {
  const starts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send: typeof sendSignUp = async (_client, _connection, input) => {
    starts.push(bench.time.now());
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await bench.time.sleep(LATENCY_MS);
    inFlight -= 1;
    return { kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false };
  };
  const lines = ['username,email'];
  for (let i = 0; i < ROWS; i += 1) lines.push(`user-${i},user-${i}@example.com`);
  const engine = bench.engine({ send });
  const jobId = await engine.start({
    path: await bench.csv('users.csv', lines),
    connection: { region: 'us-east-1', clientId: 'client123', endpoint: 'http://127.0.0.1:9' },
    resolveSecret: () => Promise.resolve(null),
    passwordSource: { kind: 'shared', password: 'Shared-Secret-Pass9' },
    rate: CAP,
    ...speed,
  });
  const summary = await engine.wait(jobId);
  expect(summary).toMatchObject({ state: 'completed', created: ROWS, remaining: 0 });
  return { starts, maxInFlight };
}

/** Requests per second over the starts' span, against the cap. */
const achieved = (starts: readonly number[]): number =>
  (starts.length - 1) / (((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000) / CAP;

describe('parallelism that follows the latency', () => {
  it('reaches the cap at 400 ms by default, never above it in any 1-s window', async () => {
    const { starts, maxInFlight } = await run({});
    expect(starts).toHaveLength(ROWS);
    // A fixed rate × 250 ms (10 workers) would top out at 10 / 0.4 s = 25/s here (0.625).
    expect(achieved(starts)).toBeGreaterThanOrEqual(0.95);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(CAP);
    // Little's law: about rate × latency in flight, plus headroom, far under the maximum.
    expect(maxInFlight).toBeGreaterThanOrEqual(16);
    expect(maxInFlight).toBeLessThanOrEqual(32);
    console.info(
      `[latency ${LATENCY_MS} ms] cap ${CAP}/s: achieved ${achieved(starts).toFixed(3)} of the cap, max in any 1 s window ${maxInAnyWindow(starts, 1000)}, at most ${maxInFlight} in flight`,
    );
  });

  it('keeps a concurrency the user gives as a hard limit, even when it holds the rate down', async () => {
    const { starts, maxInFlight } = await run({ concurrency: 3 });
    expect(maxInFlight).toBe(3);
    expect(achieved(starts)).toBeLessThan(3 / (LATENCY_MS / 1000) / CAP + 0.01);
  });
});
