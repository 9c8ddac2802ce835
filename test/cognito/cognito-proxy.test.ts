import {
  CognitoIdentityProviderClient,
  SignUpCommand,
  type SignUpCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCognitoProxy, secretHash, type CognitoProxy } from './cognito-proxy';
import { adminClient, createPoolWithClient, getUser, type TestPool } from './pool-admin';

let proxy: CognitoProxy;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  proxy = await startCognitoProxy(); // starts its own cognito-local
  sdk = adminClient(proxy.endpoint);
});
afterAll(async () => {
  sdk?.destroy();
  await proxy?.stop();
});
afterEach(() => {
  proxy.control.clear();
  proxy.control.resetStats();
});

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function signUp(pool: TestPool, username: string, extra: { secret?: string | null; email?: string } = {}) {
  const secret = extra.secret === undefined ? pool.clientSecret : extra.secret;
  return sdk.send(
    new SignUpCommand({
      ClientId: pool.clientId,
      Username: username,
      Password: 'Passw0rd!long',
      ...(secret !== null && { SecretHash: secretHash(username, pool.clientId, secret) }),
      ...(extra.email !== undefined && { UserAttributes: [{ Name: 'email', Value: extra.email }] }),
    }),
  );
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('SecretHash', () => {
  it('creates the user in cognito-local when the SecretHash is right, and masks the destination', async () => {
    const pool = await createPoolWithClient(proxy.upstream ?? '', { autoVerifiedAttributes: ['email'] });
    expect(pool.clientSecret).toEqual(expect.any(String));
    const username = uniqueName('alice');
    const result: SignUpCommandOutput = await signUp(pool, username, { email: 'alice@example.com' });
    expect(result.UserSub).toEqual(expect.any(String));
    expect(result.CodeDeliveryDetails).toEqual({
      Destination: 'a***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const stored = await getUser(proxy.upstream ?? '', pool.poolId, username);
    expect(stored?.attributes['email']).toBe('alice@example.com');
    expect(proxy.stats()).toMatchObject({ signUpCalls: 1, created: 1, byUsername: { [username]: 1 } });
  });

  it('answers NotAuthorizedException like Cognito for a wrong or missing SecretHash, creating nobody', async () => {
    const pool = await createPoolWithClient(proxy.upstream ?? '');
    const username = uniqueName('bob');
    const wrong = await failureOf(signUp(pool, username, { secret: 'not-the-secret' }));
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe(`SecretHash does not match for the client: ${pool.clientId}`);
    expect(wrong.$metadata?.httpStatusCode).toBe(400);
    const missing = await failureOf(signUp(pool, username, { secret: null }));
    expect(missing.name).toBe('NotAuthorizedException');
    expect(missing.message).toBe(
      `Client ${pool.clientId} is configured for secret but secret was not received`,
    );
    expect(await getUser(proxy.upstream ?? '', pool.poolId, username)).toBeNull();
    expect(proxy.stats()).toMatchObject({
      signUpCalls: 2,
      created: 0,
      answers: { NotAuthorizedException: 2 },
    });
  });

  it('rejects a SecretHash sent to a client without a secret, and accepts none', async () => {
    const pool = await createPoolWithClient(proxy.upstream ?? '', { generateSecret: false });
    expect(pool.clientSecret).toBeNull();
    const sent = await failureOf(signUp(pool, uniqueName('carol'), { secret: 'anything' }));
    expect(sent.name).toBe('InvalidParameterException');
    expect(sent.message).toContain('not configured for secret but secret hash was received');
    await expect(signUp(pool, uniqueName('carol'))).resolves.toHaveProperty('UserSub');
  });

  it('uses a registered client instead of looking it up', async () => {
    const pool = await createPoolWithClient(proxy.upstream ?? '');
    // Register a different secret: the proxy must now judge by it, proving the registry is used.
    proxy.control.registerClient(pool.clientId, { poolId: pool.poolId, secret: 'registered-secret' });
    const withReal = await failureOf(signUp(pool, uniqueName('dan')));
    expect(withReal.name).toBe('NotAuthorizedException');
    await expect(signUp(pool, uniqueName('dan'), { secret: 'registered-secret' })).resolves.toHaveProperty(
      'UserSub',
    );
  });
});

describe('faults', () => {
  let pool: TestPool;
  beforeAll(async () => {
    pool = await createPoolWithClient(proxy.upstream ?? '');
  });

  it('throttles above R requests per second with TooManyRequestsException', async () => {
    proxy.control.set({ throttleRps: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => signUp(pool, uniqueName('throttle'))),
    );
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as Error);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(rejected).toHaveLength(3);
    for (const error of rejected) {
      expect(error.name).toBe('TooManyRequestsException');
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
    }
    expect(proxy.stats().answers).toEqual({ created: 2, TooManyRequestsException: 3 });
  });

  it('answers InternalErrorException for the next N calls, then recovers', async () => {
    proxy.control.set({ serverError: { count: 2 } });
    const first = await failureOf(signUp(pool, uniqueName('five')));
    expect(first.name).toBe('InternalErrorException');
    expect(first.$metadata?.httpStatusCode).toBe(500);
    await failureOf(signUp(pool, uniqueName('five')));
    await expect(signUp(pool, uniqueName('five'))).resolves.toHaveProperty('UserSub');
    expect(proxy.stats().answers).toEqual({ InternalErrorException: 2, created: 1 });
  });

  it('answers a bare HTTP 500 when asked', async () => {
    proxy.control.set({ serverError: { count: 1, kind: 'bare500' } });
    const error = await failureOf(signUp(pool, uniqueName('bare')));
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect(proxy.stats().answers).toEqual({ bare500: 1 });
  });

  it('fails a seeded fraction p of calls, reproducibly', async () => {
    const run = async (): Promise<boolean[]> => {
      proxy.control.set({ serverError: { probability: 0.5 }, seed: 42 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 12; i += 1) {
        outcomes.push(
          await signUp(pool, uniqueName('p')).then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(first.filter(Boolean).length).toBeGreaterThan(0);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(0);
  });

  it('resets the connection for the next N calls', async () => {
    proxy.control.set({ reset: { count: 1 } });
    const username = uniqueName('reset');
    const error = await failureOf(signUp(pool, username));
    expect(error.message + String((error as { code?: string }).code)).toMatch(/ECONNRESET|socket hang up/i);
    expect(await getUser(proxy.upstream ?? '', pool.poolId, username)).toBeNull();
    await expect(signUp(pool, username)).resolves.toHaveProperty('UserSub');
    expect(proxy.stats()).toMatchObject({ byUsername: { [username]: 2 }, answers: { reset: 1, created: 1 } });
  });

  it('delays every call by D ms', async () => {
    proxy.control.set({ delayMs: 250 });
    const started = performance.now();
    await signUp(pool, uniqueName('slow'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('after N successful sign-ups, creates the user UNCONFIRMED and answers LimitExceededException', async () => {
    proxy.control.set({ limitExceededAfter: 2 });
    await signUp(pool, uniqueName('limit'));
    await signUp(pool, uniqueName('limit'));
    const third = uniqueName('limit');
    const error = await failureOf(signUp(pool, third));
    expect(error.name).toBe('LimitExceededException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(proxy.stats()).toMatchObject({
      created: 2,
      createdWithoutCode: 1,
      answers: { LimitExceededException: 1 },
    });
    // As Cognito: "the user is successfully created and is in an UNCONFIRMED state".
    expect(await getUser(proxy.upstream ?? '', pool.poolId, third)).toMatchObject({ status: 'UNCONFIRMED' });
    expect((await failureOf(signUp(pool, third))).name).toBe('UsernameExistsException');
  });

  it('plays a broken pre sign-up Lambda: every SignUp refused, nothing created', async () => {
    proxy.control.set({ brokenPreSignUp: 'UnexpectedLambdaException' });
    const username = uniqueName('lambda');
    expect((await failureOf(signUp(pool, username))).name).toBe('UnexpectedLambdaException');
    proxy.control.set({ brokenPreSignUp: 'InvalidLambdaResponseException' });
    expect((await failureOf(signUp(pool, username))).name).toBe('InvalidLambdaResponseException');
    expect(await getUser(proxy.upstream ?? '', pool.poolId, username)).toBeNull();
    expect(proxy.stats().created).toBe(0);
  });

  it('never lets concurrent calls overshoot the LimitExceeded budget', async () => {
    proxy.control.set({ limitExceededAfter: 3 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => signUp(pool, uniqueName('burst'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(proxy.stats().answers).toEqual({ created: 3, LimitExceededException: 5 });
    expect(proxy.stats().createdWithoutCode).toBe(5);
  });

  it('is controllable over HTTP at /__control', async () => {
    const response = await fetch(`${proxy.endpoint}/__control`, {
      method: 'POST',
      body: JSON.stringify({ set: { throttleRps: 0 } }),
    });
    expect(((await response.json()) as { faults: { throttleRps: number } }).faults.throttleRps).toBe(0);
    expect((await failureOf(signUp(pool, uniqueName('ctl')))).name).toBe('TooManyRequestsException');
    await fetch(`${proxy.endpoint}/__control`, { method: 'POST', body: JSON.stringify({ clear: true }) });
    await expect(signUp(pool, uniqueName('ctl'))).resolves.toHaveProperty('UserSub');
  });

  it('forwards other operations untouched and counts them apart', async () => {
    const before = proxy.stats().otherCalls;
    const fresh = await createPoolWithClient(proxy.endpoint); // CreateUserPool + CreateUserPoolClient
    expect(fresh.poolId).toMatch(/_/);
    expect(proxy.stats().otherCalls).toBe(before + 2);
    expect(proxy.stats().signUpCalls).toBe(0);
  });
});

describe('fast mode', () => {
  it('answers SignUp from memory without cognito-local, with UsernameExists and the SecretHash check', async () => {
    const fast = await startCognitoProxy({
      upstream: null,
      faults: { fast: true },
      clients: { fastclient: { poolId: 'us-east-1_fast', secret: 's3cret' } },
    });
    const client = adminClient(fast.endpoint);
    try {
      const input = (secret: string) => ({
        ClientId: 'fastclient',
        Username: 'erin',
        Password: 'Passw0rd!long',
        SecretHash: secretHash('erin', 'fastclient', secret),
        UserAttributes: [{ Name: 'email', Value: 'erin@example.org' }],
      });
      const created = await client.send(new SignUpCommand(input('s3cret')));
      expect(created.CodeDeliveryDetails?.Destination).toBe('e***@e***');
      const again = await failureOf(client.send(new SignUpCommand(input('s3cret'))));
      expect(again.name).toBe('UsernameExistsException');
      const wrong = await failureOf(client.send(new SignUpCommand(input('nope'))));
      expect(wrong.name).toBe('NotAuthorizedException');
      expect(fast.stats()).toMatchObject({ signUpCalls: 3, created: 1, byUsername: { erin: 3 } });
    } finally {
      client.destroy();
      await fast.stop();
    }
  });
});
