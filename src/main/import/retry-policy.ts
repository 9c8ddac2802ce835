/**
 * What the bulk engine does with each failed SignUp attempt (Cognito's error rules: docs/cognito.md):
 * transient → retry after exponential backoff with full jitter, up to a capped number of attempts;
 * quota (LimitExceededException) → the user was created but got no code: count it created, never
 * send it again, and stop the job (the limit holds for hours, docs/cognito.md#errors);
 * configuration errors → stop the job, say why;
 * a bad row → fail the row and go on; UsernameExists → "exists".
 * Full jitter (sleep = random(0, min(cap, base·2^n))) spreads the retries of many workers apart:
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
import type { ImportProgressView } from '@shared/contract';
import type { ClassifiedError } from '../cognito/errors';

export interface RetryPolicy {
  /** Attempts per row including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Attempts per row before an unreachable endpoint (connection refused, DNS failure) stops the job:
 * a few, in case it was restarting; beyond that every row would fail the same way.
 */
export const UNREACHABLE_ATTEMPTS = 3;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 20_000 };

/**
 * Why a job stopped by itself (the user pauses or cancels; Cognito's answers stop): the contract's
 * shape. quota/config: Cognito's answer; internal: our side failed (the file became unreadable,
 * the disk filled). rowNumber: the row whose answer stopped the job.
 */
export type StopReason = NonNullable<ImportProgressView['stopReason']>;

export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  /** Transient, but the attempts are used up: the row fails with outcome "error". */
  | { action: 'give-up' }
  | { action: 'fail-row' }
  | { action: 'exists' }
  /** LimitExceededException: created UNCONFIRMED without a code; the job stops with `reason`. */
  | { action: 'created-code-not-sent'; reason: StopReason }
  | { action: 'stop-job'; reason: StopReason };

/** Full-jitter delay before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

function stopReasonOf(error: ClassifiedError, category: StopReason['category']): StopReason {
  return {
    category,
    errorName: error.name,
    message: error.message,
    ...(error.hint !== undefined && { hint: error.hint }),
  };
}

/** `attempt` is the number of the attempt that just failed (1 for the first). */
export function decide(
  error: ClassifiedError,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  switch (error.category) {
    case 'transient':
      return attempt < policy.maxAttempts
        ? { action: 'retry', delayMs: backoffDelay(attempt, policy, random) }
        : { action: 'give-up' };
    case 'unreachable':
      return attempt < Math.min(UNREACHABLE_ATTEMPTS, policy.maxAttempts)
        ? { action: 'retry', delayMs: backoffDelay(attempt, policy, random) }
        : { action: 'stop-job', reason: stopReasonOf(error, 'connection') };
    case 'quota':
      return { action: 'created-code-not-sent', reason: stopReasonOf(error, 'quota') };
    case 'config':
      return { action: 'stop-job', reason: stopReasonOf(error, 'config') };
    case 'row':
      return { action: 'fail-row' };
    case 'exists':
      return { action: 'exists' };
  }
}

/**
 * Whether a failed attempt may still have created the user: a throttled call was refused before
 * doing anything, but after a 5xx, a reset or a timeout Cognito may have done the work.
 */
export function mayHaveReachedCognito(error: ClassifiedError): boolean {
  if (error.category === 'unreachable') return false;
  return !(error.name === 'TooManyRequestsException' || error.name === 'ThrottlingException');
}
