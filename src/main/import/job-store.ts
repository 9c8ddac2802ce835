/**
 * The durable side of bulk imports: one row per job (its file, the file's SHA-256, mapping and
 * settings — never a password or a client secret) and one row per CSV row that has been sent or
 * judged. Same SQLite database as the log, so a row's outcome and its log entry commit in ONE
 * transaction: after a crash either both exist or neither does.
 *
 * Row states: 'sending' is committed before the request goes out, so a row found 'sending' after a
 * crash is one whose request may have reached Cognito; 'created' | 'exists' | 'invalid' | 'failed'
 * are outcomes. A row with no record has not been sent (or was sent and certainly refused, e.g.
 * throttled or LimitExceeded) and is sent on resume.
 *
 * Group commit: the engine reserves rows ('sending') in batches and commits outcomes in groups,
 * each group in ONE transaction (reserve / recordOutcomes, which can also take the next
 * reservation), because a commit costs far more than a row's insert. The promise is unchanged: a row is durably
 * 'sending' before its request leaves, and its outcome and log entry commit together before it
 * counts as done. A row reserved but never sent is simply sent on resume (it comes back 'created').
 * https://www.sqlite.org/faq.html#q19
 *
 * The parts: the tables (job-tables), the records and their rows (job-rows), the JSON columns
 * (job-settings) and the statements (job-queries); this module decides what commits together.
 */
import type { LogEntry } from '@shared/contract';
import type { NewLogEntry } from '../log/log-store';
import { migrate, transaction, type Database } from '../store/database';
import { prepareJobQueries } from './job-queries';
import type { JobOwner, JobRecord, JobState, RowOutcome, RowRef, RowState, StoredRow } from './job-rows';
import { storableSettings, storableStopReason, type JobSettings, type StopReason } from './job-settings';
import { IMPORT_MIGRATIONS } from './job-tables';

export type { JobRecord, JobState, RowOutcome, RowRef, RowState, StoredRow } from './job-rows';
export type { ConnectionMetadata, JobSettings } from './job-settings';

export interface RowCounts {
  sending: number;
  created: number;
  exists: number;
  invalid: number;
  failed: number;
}

export interface OutcomeWithEntry {
  outcome: RowOutcome;
  entry: NewLogEntry;
}

interface NewJob {
  id: string;
  sourcePath: string;
  sourceSha256: string;
  settings: JobSettings;
  parentJobId?: string;
  /** Row indexes the job is limited to (retry of failed rows); absent = every row of the file. */
  selection?: Iterable<number>;
  /** The starting process's claim (job-lease.ts), committed with the job. */
  owner?: JobOwner;
}

/** Reads throw AppError('JobDamaged') naming the job when its stored settings are damaged. */
export interface JobStore {
  createJob(job: NewJob): JobRecord;
  getJob(id: string): JobRecord | undefined;
  /** Newest first. */
  listJobs(): JobRecord[];
  setState(id: string, state: JobState, stopReason?: StopReason | null): void;
  setTotals(id: string, totalRows: number, validRows: number): void;
  addElapsed(id: string, ms: number): void;
  hasSelection(id: string): boolean;
  inSelection(id: string, index: number): boolean;
  /** Marks every given row 'sending' in ONE transaction, before any of them is sent. */
  reserve(jobId: string, rows: readonly RowRef[]): void;
  /** Rows reserved but never sent (or certainly refused) go back to "not sent", in one transaction. */
  release(jobId: string, indexes: readonly number[]): void;
  /**
   * Many rows' outcomes and log entries in ONE transaction (all or none). Returns the log entries
   * with their ids, in the given order. `reserve`: rows to mark 'sending' in the same transaction
   * (the engine's next batch), so a reservation and the outcomes waiting at that moment share a commit.
   */
  recordOutcomes(jobId: string, items: readonly OutcomeWithEntry[], reserve?: readonly RowRef[]): LogEntry[];
  /** The stored state of each row whose index is in [from, to] (rows with no record are absent). */
  statesBetween(jobId: string, from: number, to: number): Map<number, RowState>;
  /** The highest row index with a record (any state), or null when the job has none. */
  highestIndex(jobId: string): number | null;
  /** A log entry without a row outcome (the attempt that stopped the job). */
  recordAttempt(entry: NewLogEntry): LogEntry;
  counts(jobId: string): RowCounts;
  rowsInState(jobId: string, state: RowState): StoredRow[];
  /** Up to `limit` rows with an outcome (not 'sending') whose index is above `afterIndex`, in index order. */
  rowsWithOutcomeAfter(jobId: string, afterIndex: number, limit: number): StoredRow[];
}

export function createJobStore(
  db: Database,
  log: { record(entry: NewLogEntry): number },
  now: () => number = Date.now,
): JobStore {
  migrate(db, IMPORT_MIGRATIONS);
  const queries = prepareJobQueries(db);
  const iso = (): string => new Date(now()).toISOString();
  const withId = (entry: NewLogEntry, id: number): LogEntry => ({ id, ...entry });

  return {
    createJob(job) {
      return transaction(db, () => {
        const time = iso();
        queries.insertJob(
          {
            id: job.id,
            sourcePath: job.sourcePath,
            sourceSha256: job.sourceSha256,
            settings: storableSettings(job.settings),
            parentJobId: job.parentJobId ?? null,
            owner: job.owner ?? null,
          },
          time,
        );
        for (const index of job.selection ?? []) queries.insertSelection(job.id, index);
        const created = queries.job(job.id);
        if (created === undefined) throw new Error(`Job ${job.id} was not stored`);
        return created;
      });
    },
    getJob: queries.job,
    listJobs: queries.jobs,
    setState(id, state, stopReason) {
      queries.setState(id, state, storableStopReason(stopReason), iso());
    },
    setTotals(id, totalRows, validRows) {
      queries.setTotals(id, totalRows, validRows, iso());
    },
    addElapsed(id, ms) {
      queries.addElapsed(id, Math.max(0, Math.round(ms)), iso());
    },
    hasSelection: queries.hasSelection,
    inSelection: queries.inSelection,
    reserve(jobId, rows) {
      if (rows.length === 0) return;
      transaction(db, () => {
        const time = iso();
        for (const row of rows) queries.putSending(jobId, row, time);
      });
    },
    release(jobId, indexes) {
      if (indexes.length === 0) return;
      transaction(db, () => {
        for (const index of indexes) queries.deleteSending(jobId, index);
      });
    },
    recordOutcomes(jobId, items, reserve = []) {
      if (items.length === 0 && reserve.length === 0) return [];
      return transaction(db, () => {
        const time = iso();
        for (const row of reserve) queries.putSending(jobId, row, time);
        return items.map(({ outcome, entry }) => {
          const id = log.record(entry);
          queries.putOutcome(jobId, outcome, id, time);
          return withId(entry, id);
        });
      });
    },
    statesBetween(jobId, from, to) {
      const states = new Map<number, RowState>();
      for (const row of queries.statesBetween(jobId, from, to)) states.set(row.row_index, row.state);
      return states;
    },
    highestIndex: queries.highestIndex,
    recordAttempt(entry) {
      return withId(entry, log.record(entry));
    },
    counts(jobId) {
      const counts: RowCounts = { sending: 0, created: 0, exists: 0, invalid: 0, failed: 0 };
      for (const { state, n } of queries.countByState(jobId)) counts[state] = n;
      return counts;
    },
    rowsInState: queries.rowsInState,
    rowsWithOutcomeAfter: queries.rowsWithOutcomeAfter,
  };
}
