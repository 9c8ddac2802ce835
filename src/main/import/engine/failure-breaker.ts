/**
 * The breaker for what no error table foresees: when many rows in a row fail with the same error
 * (same name, same message once the row's own values are blanked out), the cause is the pool or
 * the connection, not the rows — stop the job and say so instead of burning the whole file.
 * A resume starts a new run and so a fresh breaker (docs/cognito.md#errors: "stop = configuration
 * problem every row will hit").
 */
import type { ClassifiedError } from '../../cognito/errors';
import type { StopReason } from '../retry-policy';

/** Consecutive failed rows with one shape that trip the breaker. */
export const DEFAULT_BREAKER_THRESHOLD = 25;

export interface FailureBreaker {
  /** A row failed; returns the reason to stop when this failure trips the breaker. */
  failed(error: ClassifiedError): StopReason | null;
  /** A row got any other outcome (created, exists): the streak ends. */
  passed(): void;
}

/**
 * The message with what differs from row to row blanked: quoted values, emails, UUIDs, numbers.
 * "Username 'bob' is invalid" and "Username 'ann' is invalid" are one shape.
 */
export function messageShape(message: string): string {
  return message
    .replace(/(['"`]).*?\1/g, '…')
    .replace(/\S+@\S+/g, '…')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '…')
    .replace(/\d+/g, '#');
}

export function createFailureBreaker(threshold: number = DEFAULT_BREAKER_THRESHOLD): FailureBreaker {
  let shape: string | null = null;
  let streak = 0;
  return {
    failed(error) {
      const next = `${error.name}\u0000${messageShape(error.message)}`;
      streak = next === shape ? streak + 1 : 1;
      shape = next;
      if (streak < threshold) return null;
      return {
        category: 'repeated',
        errorName: error.name,
        message: `Every row is failing the same way: ${error.name}: ${error.message}`,
        hint:
          `${streak} rows in a row failed with this error, so the cause is likely the user pool, the app ` +
          'client or the connection rather than the rows. Fix it, then resume: the remaining rows are sent then.',
      };
    },
    passed() {
      shape = null;
      streak = 0;
    },
  };
}
