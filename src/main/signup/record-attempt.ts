/**
 * Records one attempt in the log without letting the log decide what the attempt was. The log
 * write comes after Cognito answered: when it fails (a damaged, read-only or full database), the
 * user may already exist, so the caller reports Cognito's answer and carries this warning.
 */
import { toErrorShape } from '../errors';
import type { LogStore, NewLogEntry } from '../log/log-store';

export type Recorded = { logId: number } | { warning: string };

export function recordAttempt(log: LogStore, entry: NewLogEntry, sent: boolean): Recorded {
  try {
    return { logId: log.record(entry) };
  } catch (error) {
    const { message, hint } = toErrorShape(error);
    const what = sent ? 'Cognito answered as shown, but this attempt is' : 'This attempt is';
    return { warning: `${what} not in the log: ${message}${hint === undefined ? '' : ` ${hint}`}` };
  }
}
