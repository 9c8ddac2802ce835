/**
 * Every statement of the job store, prepared once, each behind a typed function: reads answer
 * records (job-rows.ts maps them), writes take named values. No transactions and no time stamps
 * here; the store decides what commits together.
 */
import type { Database } from '../store/database';
import { queryAggregate, queryAll, queryGet } from '../store/query';
import {
  toJob,
  toStoredRow,
  type ImportRow,
  type JobOwner,
  type JobRecord,
  type JobState,
  type RowOutcome,
  type RowRef,
  type RowState,
  type StoredRow,
} from './job-rows';

/** A job as inserted: its settings and stop reason already as stored JSON. */
export interface JobInsert {
  id: string;
  sourcePath: string;
  sourceSha256: string;
  settings: string;
  parentJobId: string | null;
  /** The new job's claim: the process that starts it holds it from its first commit. */
  owner: JobOwner | null;
}

export function prepareJobQueries(db: Database) {
  const insertJob =
    db.prepare(`INSERT INTO import_jobs (id, created_at, updated_at, state, source_path, source_sha256,
    settings, parent_job_id, owner, owner_pid, owner_started_at, owned_since, lease_until)
    VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSelection = db.prepare(
    'INSERT OR IGNORE INTO import_selection (job_id, row_index) VALUES (?, ?)',
  );
  const jobById = db.prepare('SELECT * FROM import_jobs WHERE id = ?');
  const allJobs = db.prepare('SELECT * FROM import_jobs ORDER BY created_at DESC, rowid DESC');
  const updateState = db.prepare(
    'UPDATE import_jobs SET state = ?, stop_reason = ?, updated_at = ? WHERE id = ?',
  );
  const updateTotals = db.prepare(
    'UPDATE import_jobs SET total_rows = ?, valid_rows = ?, updated_at = ? WHERE id = ?',
  );
  const updateElapsed = db.prepare(
    'UPDATE import_jobs SET elapsed_ms = elapsed_ms + ?, updated_at = ? WHERE id = ?',
  );
  const anySelection = db.prepare('SELECT 1 FROM import_selection WHERE job_id = ? LIMIT 1');
  const selected = db.prepare('SELECT 1 FROM import_selection WHERE job_id = ? AND row_index = ?');
  const upsertRow = db.prepare(`INSERT INTO import_rows (job_id, row_index, line, username, state, error_name,
      error_message, log_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (job_id, row_index) DO UPDATE SET line = excluded.line, username = excluded.username,
      state = excluded.state, error_name = excluded.error_name, error_message = excluded.error_message,
      log_id = excluded.log_id, updated_at = excluded.updated_at`);
  const deleteSending = db.prepare(
    "DELETE FROM import_rows WHERE job_id = ? AND row_index = ? AND state = 'sending'",
  );
  const countByState = db.prepare(
    'SELECT state, COUNT(*) AS n FROM import_rows WHERE job_id = ? GROUP BY state',
  );
  const byState = db.prepare('SELECT * FROM import_rows WHERE job_id = ? AND state = ? ORDER BY row_index');
  const withOutcomeAfter = db.prepare(
    "SELECT * FROM import_rows WHERE job_id = ? AND row_index > ? AND state <> 'sending' ORDER BY row_index LIMIT ?",
  );
  const maxIndex = db.prepare('SELECT max(row_index) AS n FROM import_rows WHERE job_id = ?');
  const statesIn = db.prepare(
    'SELECT row_index, state FROM import_rows WHERE job_id = ? AND row_index BETWEEN ? AND ?',
  );

  return {
    insertJob(job: JobInsert, time: string): void {
      insertJob.run(
        job.id,
        time,
        time,
        job.sourcePath,
        job.sourceSha256,
        job.settings,
        job.parentJobId,
        job.owner?.token ?? null,
        job.owner?.pid ?? null,
        job.owner?.startedAt ?? null,
        job.owner?.since ?? null,
        job.owner?.leaseUntil ?? null,
      );
    },
    insertSelection(jobId: string, index: number): void {
      insertSelection.run(jobId, index);
    },
    job: (id: string): JobRecord | undefined => queryGet(jobById, [id], toJob),
    /** Newest first. */
    jobs: (): JobRecord[] => queryAll(allJobs, [], toJob),
    setState(id: string, state: JobState, stopReason: string | null, time: string): void {
      updateState.run(state, stopReason, time, id);
    },
    setTotals(id: string, totalRows: number, validRows: number, time: string): void {
      updateTotals.run(totalRows, validRows, time, id);
    },
    addElapsed(id: string, ms: number, time: string): void {
      updateElapsed.run(ms, time, id);
    },
    hasSelection: (jobId: string): boolean => queryGet(anySelection, [jobId]) !== undefined,
    inSelection: (jobId: string, index: number): boolean => queryGet(selected, [jobId, index]) !== undefined,
    /** Inserts or overwrites the row as 'sending', with no outcome. */
    putSending(jobId: string, row: RowRef, time: string): void {
      upsertRow.run(jobId, row.index, row.line, row.username, 'sending', null, null, null, time);
    },
    /** Inserts or overwrites the row with its outcome and the id of its log entry. */
    putOutcome(jobId: string, outcome: RowOutcome, logId: number, time: string): void {
      upsertRow.run(
        jobId,
        outcome.index,
        outcome.line,
        outcome.username,
        outcome.state,
        outcome.errorName ?? null,
        outcome.errorMessage ?? null,
        logId,
        time,
      );
    },
    /** Only a row still 'sending' goes: an outcome is never undone. */
    deleteSending(jobId: string, index: number): void {
      deleteSending.run(jobId, index);
    },
    countByState: (jobId: string) => queryAll<{ state: RowState; n: number }>(countByState, [jobId]),
    rowsInState: (jobId: string, state: RowState): StoredRow[] =>
      queryAll(byState, [jobId, state], toStoredRow),
    rowsWithOutcomeAfter: (jobId: string, afterIndex: number, limit: number): StoredRow[] =>
      queryAll(withOutcomeAfter, [jobId, afterIndex, limit], toStoredRow),
    highestIndex: (jobId: string): number | null => queryAggregate<{ n: number | null }>(maxIndex, [jobId]).n,
    statesBetween: (jobId: string, from: number, to: number) =>
      queryAll<Pick<ImportRow, 'row_index' | 'state'>>(statesIn, [jobId, from, to]),
  };
}
