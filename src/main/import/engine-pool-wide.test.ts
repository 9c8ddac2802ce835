/**
 * Errors every row will get stop the job instead of failing each row (docs/cognito.md#errors):
 * a broken pre sign-up Lambda (the Cognito proxy's fault), an endpoint nothing listens on, and the
 * breaker for a failure no table foresees. Real SQLite file, real CSV files.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../test/support/import-engine-setup';
import { startCognitoProxy, type CognitoProxy } from '../../../test/cognito/cognito-proxy';
import { createPoolWithClient, TEST_REGION, type TestPool } from '../../../test/cognito/pool-admin';
import type { ClassifiedError } from '../cognito/errors';
import { sendSignUp } from '../cognito/sign-up-call';
import { freePort } from '../sandbox/cognito-local-launcher';
import { systemScheduler } from './engine/timing';
import type { StartOptions } from './import-engine';
import { realClock } from './rate-limiter';

const PASSWORD = 'Import-Test-Pass1';
const realTime = {
  now: (): number => realClock.now(),
  sleep: (ms: number): Promise<void> => realClock.sleep(ms),
  scheduler: systemScheduler,
};
const shortRetries = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 };

let proxy: CognitoProxy;
let bench: EngineBench;
let pool: TestPool;

beforeAll(async () => {
  proxy = await startCognitoProxy();
});
afterAll(async () => {
  await proxy.stop();
});
beforeEach(async () => {
  bench = await openEngineBench('signup-desk-pool-wide-');
  if (proxy.upstream === null) throw new Error('the proxy needs cognito-local');
  pool = await createPoolWithClient(proxy.upstream);
  proxy.control.registerClient(pool.clientId, { poolId: pool.poolId, secret: pool.clientSecret });
  proxy.control.clear();
  proxy.control.resetStats();
});
afterEach(async () => {
  await bench.close();
});

async function usersCsv(name: string, count: number): Promise<string> {
  const lines = Array.from({ length: count }, (_, i) => `${name}-${i + 1},${name}-${i + 1}@example.com`);
  return bench.csv(`${name}.csv`, ['username,email', ...lines]);
}

function job(path: string, endpoint: string, concurrency: number): StartOptions {
  return {
    path,
    connection: { region: TEST_REGION, clientId: pool.clientId, userPoolId: pool.poolId, endpoint },
    resolveSecret: () => Promise.resolve(pool.clientSecret),
    passwordSource: { kind: 'shared', password: PASSWORD },
    rate: 50,
    concurrency,
  };
}

describe('errors every row will get stop the job', () => {
  it.each(['UnexpectedLambdaException', 'InvalidLambdaResponseException'] as const)(
    'a broken pre sign-up Lambda (%s): stops after the calls in flight, rows stay unsent, resume sends them',
    async (lambdaError) => {
      const path = await usersCsv(`lambda-${lambdaError}`, 60);
      proxy.control.set({ brokenPreSignUp: lambdaError });
      const engine = bench.engine({ ...realTime, send: sendSignUp, retryPolicy: shortRetries });
      const jobId = await engine.start(job(path, proxy.endpoint, 1));
      const stopped = await engine.wait(jobId);
      expect(stopped).toMatchObject({ state: 'stopped', created: 0, failed: 0, remaining: 60 });
      expect(stopped.stopReason).toMatchObject({ category: 'config', errorName: lambdaError });
      expect(stopped.stopReason?.hint).toMatch(/Lambda trigger/);
      const calls = proxy.stats().signUpCalls;
      console.info(
        `[pool-wide] broken pre sign-up Lambda (${lambdaError}): ${calls} call(s) before the stop`,
      );
      expect(calls).toBe(1);

      proxy.control.clear();
      await engine.resume(jobId, {
        resolveSecret: () => Promise.resolve(pool.clientSecret),
        passwordSource: { kind: 'shared', password: PASSWORD },
      });
      const first = await engine.wait(jobId);
      expect(first).toMatchObject({ state: 'completed', created: 60, failed: 0 });
    },
    20_000,
  );

  it('nothing listening at the endpoint: stops after a few attempts with a connection reason, rows stay unsent', async () => {
    const path = await usersCsv('refused', 50);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const calls: string[] = [];
    const engine = bench.engine({
      ...realTime,
      retryPolicy: shortRetries,
      send: (client, connection, input, options) => {
        calls.push(input.username);
        return sendSignUp(client, connection, input, options);
      },
    });
    const jobId = await engine.start(job(path, closed, 2));
    const stopped = await engine.wait(jobId);
    expect(stopped).toMatchObject({ state: 'stopped', created: 0, failed: 0, remaining: 50 });
    expect(stopped.stopReason).toMatchObject({ category: 'connection', errorName: 'ECONNREFUSED' });
    expect(stopped.stopReason?.hint).toMatch(/Nothing is listening/);
    console.info(`[pool-wide] connection refused: ${calls.length} call(s) before the stop`);
    // A few attempts (3 per row) on the rows in flight, not 6 attempts on each of 50 rows.
    expect(calls.length).toBeLessThanOrEqual(6);
    expect(engine.failedRows(jobId)).toEqual([]);
  });
});

describe('the breaker', () => {
  const unforeseen = (n: number): ClassifiedError => ({
    category: 'row',
    name: 'SomethingNewException',
    message: `Value 'user-${n}' was refused by rule 7`,
  });

  it('stops after 25 rows in a row fail the same way, says so, and a resume goes on with a fresh breaker', async () => {
    const path = await usersCsv('breaker', 60);
    let calls = 0;
    const engine = bench.engine({
      retryPolicy: shortRetries,
      send: () => {
        calls += 1;
        return Promise.resolve({ kind: 'error', error: unforeseen(calls) });
      },
    });
    const jobId = await engine.start({
      ...job(path, 'http://127.0.0.1:9', 1),
      resolveSecret: () => Promise.resolve(null),
    });
    const stopped = await engine.wait(jobId);
    expect(stopped).toMatchObject({ state: 'stopped', failed: 25, remaining: 35 });
    expect(stopped.stopReason).toMatchObject({
      category: 'repeated',
      errorName: 'SomethingNewException',
      message: expect.stringMatching(/^Every row is failing the same way: SomethingNewException/),
    });
    expect(calls).toBe(25);

    await engine.resume(jobId, {
      resolveSecret: () => Promise.resolve(null),
      passwordSource: { kind: 'shared', password: PASSWORD },
    });
    const again = await engine.wait(jobId);
    expect(again).toMatchObject({ state: 'stopped', failed: 50, remaining: 10 });
    expect(calls).toBe(50);
  });

  it('does not trip when other answers come in between', async () => {
    const path = await usersCsv('mixed', 60);
    let calls = 0;
    const engine = bench.engine({
      retryPolicy: shortRetries,
      send: () => {
        calls += 1;
        return Promise.resolve(
          calls % 20 === 0
            ? { kind: 'ok', userSub: `sub-${calls}`, userConfirmed: false }
            : { kind: 'error', error: unforeseen(calls) },
        );
      },
    });
    const jobId = await engine.start({
      ...job(path, 'http://127.0.0.1:9', 1),
      resolveSecret: () => Promise.resolve(null),
    });
    expect(await engine.wait(jobId)).toMatchObject({ state: 'completed', created: 3, failed: 57 });
  });
});
