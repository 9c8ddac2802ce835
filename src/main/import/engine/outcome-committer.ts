/**
 * Group commit of outcomes (see job-store.ts for why it keeps the promise): each row's outcome and
 * log entry wait here at most OUTCOME_GROUP_WINDOW_MS (or until OUTCOME_GROUP_MAX are waiting) and
 * the group commits in one transaction; only then do its rows count as done (row events, progress,
 * report lines). A crash before the commit loses no promise: those rows are still 'sending' and a
 * resume sends them again, reporting an UsernameExists as possibly created by the interrupted attempt.
 * The worker goes on to its next row meanwhile (its next request is durably reserved too); it
 * waits only when a full group's report lines are still being written (backpressure).
 */
import type { LogEntry } from '@shared/contract';
import type { JobStore, RowRef } from '../job-store';
import type { ReportWriter } from '../report-writer';
import type { RowRecord } from './outcome-records';
import { RESERVE_BATCH_MAX } from './send-settings';
import type { Scheduler } from './timing';

/**
 * An outcome waits at most this long, or until OUTCOME_GROUP_MAX are waiting, before its group
 * commits; the next batch's reservation also commits whatever waits (one transaction for both).
 * Workers do not wait for it (only "done" does), so the window costs no throughput; it is short
 * next to the 100 ms progress interval, and long enough that a fast run commits ~64 outcomes per
 * transaction, with a reservation: measured with the log's (then per-row) FTS5 trigger, ~90 µs of
 * CPU per row in groups of 10–25 and ~55 µs in groups of 64, against ~220 µs committing rows one
 * by one. At 25 ms a fast run (~3000 rows/s) committed twice per batch (~32 rows each): once on
 * the timer, once with the reservation.
 */
export const OUTCOME_GROUP_WINDOW_MS = 50;
/**
 * Above a reservation batch, so that at full speed the reservation commits the waiting outcomes
 * (at 64 both fired in lock-step, each committing alone: twice the commits).
 */
export const OUTCOME_GROUP_MAX = 2 * RESERVE_BATCH_MAX;

export interface OutcomeCommitterOptions {
  store: Pick<JobStore, 'recordOutcomes' | 'reserve'>;
  jobId: string;
  report: ReportWriter | null;
  scheduler: Scheduler;
  /** A group is stored: count its rows, announce its entries. */
  onCommitted: (group: readonly RowRecord[], entries: readonly LogEntry[]) => void;
  /** A group could not be stored: sending must stop. */
  onFailure: (error: unknown) => void;
}

export interface OutcomeCommitter {
  /** Resolves at once, or (a full group) when the earlier groups' report lines are written. */
  add(record: RowRecord): Promise<void>;
  /** Reserves rows ('sending') in the transaction that commits what waits. Throws when that fails. */
  reserve(rows: readonly RowRef[]): void;
  /** Commits what waits and finishes the report lines; throws the first failure. */
  drain(): Promise<void>;
}

export function createOutcomeCommitter(options: OutcomeCommitterOptions): OutcomeCommitter {
  const { store, jobId, report, scheduler } = options;
  let pending: RowRecord[] = [];
  let timer: unknown = null;
  // Report lines are written in commit order, one group after another.
  let written: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const onTimer = (): void => {
    timer = null;
    void flush();
  };

  /**
   * Commits what waits, together with `reserve` (the next rows to send, marked 'sending' in the
   * same transaction: one commit instead of two). Throws when a reservation could not be stored.
   */
  const flush = (reserve: readonly RowRef[] = []): Promise<void> => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    if (failure !== null) {
      // Sending is stopping; a reservation still goes through on its own (or throws).
      store.reserve(jobId, reserve);
      return written;
    }
    if (pending.length === 0 && reserve.length === 0) return written;
    const group = pending;
    pending = [];
    let recorded: LogEntry[];
    try {
      recorded = store.recordOutcomes(jobId, group, reserve);
    } catch (error) {
      // Nothing of the group was stored (one transaction): its rows stay 'sending', and the
      // reserved rows are not sent. Stop sending.
      failure = error;
      options.onFailure(error);
      if (reserve.length > 0) throw error;
      return written;
    }
    options.onCommitted(group, recorded);
    if (report !== null && group.length > 0) {
      written = written.then(async () => {
        for (const item of group) await report.write(item.reportRow);
      });
      // A failed write surfaces at drain(); until then it must not be an unhandled rejection.
      written.catch(() => undefined);
    }
    return written;
  };

  return {
    add(record) {
      pending.push(record);
      if (pending.length >= OUTCOME_GROUP_MAX) return flush();
      timer ??= scheduler.setTimeout(onTimer, OUTCOME_GROUP_WINDOW_MS);
      return Promise.resolve();
    },
    reserve(rows) {
      if (rows.length > 0) void flush(rows);
    },
    async drain() {
      await flush();
      if (failure !== null) throw failure as Error;
    },
  };
}
