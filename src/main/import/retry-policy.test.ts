import { describe, expect, it } from 'vitest';
import type { ClassifiedError } from '../cognito/errors';
import { backoffDelay, decide, DEFAULT_RETRY_POLICY, mayHaveReachedCognito } from './retry-policy';

const error = (category: ClassifiedError['category'], name: string): ClassifiedError => ({
  category,
  name,
  message: name,
  ...(category === 'quota' && { hint: 'quota hint' }),
});

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('retries transient errors until the attempts are used up', () => {
    const transient = error('transient', 'TooManyRequestsException');
    expect(decide(transient, 1, DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({ action: 'retry', delayMs: 125 });
    expect(decide(transient, DEFAULT_RETRY_POLICY.maxAttempts - 1).action).toBe('retry');
    expect(decide(transient, DEFAULT_RETRY_POLICY.maxAttempts)).toEqual({ action: 'give-up' });
  });

  it('counts a quota error created without a code and stops; stops on configuration errors; fails rows; reports exists', () => {
    expect(decide(error('quota', 'LimitExceededException'), 1)).toEqual({
      action: 'created-code-not-sent',
      reason: {
        category: 'quota',
        errorName: 'LimitExceededException',
        message: 'LimitExceededException',
        hint: 'quota hint',
      },
    });
    expect(decide(error('config', 'NotAuthorizedException'), 1)).toMatchObject({
      action: 'stop-job',
      reason: { category: 'config' },
    });
    expect(decide(error('row', 'InvalidPasswordException'), 1)).toEqual({ action: 'fail-row' });
    expect(decide(error('exists', 'UsernameExistsException'), 1)).toEqual({ action: 'exists' });
  });

  it('knows a throttled call created nothing, while a 5xx or reset may have', () => {
    expect(mayHaveReachedCognito(error('transient', 'TooManyRequestsException'))).toBe(false);
    expect(mayHaveReachedCognito(error('transient', 'InternalErrorException'))).toBe(true);
    expect(mayHaveReachedCognito(error('transient', 'ECONNRESET'))).toBe(true);
  });

  it('retries an unreachable endpoint a few times, then stops the job with a connection reason', () => {
    const refused = error('unreachable', 'ECONNREFUSED');
    expect(decide(refused, 1).action).toBe('retry');
    expect(decide(refused, 2).action).toBe('retry');
    expect(decide(refused, 3)).toMatchObject({
      action: 'stop-job',
      reason: { category: 'connection', errorName: 'ECONNREFUSED' },
    });
    expect(mayHaveReachedCognito(refused)).toBe(false);
  });
});
