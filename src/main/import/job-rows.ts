/**
 * The job store's records and their table rows: import_jobs rows ↔ JobRecord, import_rows rows ↔
 * StoredRow. The row interfaces are what the store's own SELECTs answer; the JSON columns are
 * parsed with their schemas (job-settings.ts).
 */
import type { JobStateSchema } from '@shared/contract';
import type { z } from 'zod';
import { readSettings, readStopReason, type JobSettings, type StopReason } from './job-settings';

export type JobState = z.infer<typeof JobStateSchema>;
/**
 * 'sending' is committed before the request goes out, so a row found 'sending' after a crash is one
 * whose request may have reached Cognito; the others are outcomes.
 */
export type RowState = 'sending' | 'created' | 'exists' | 'invalid' | 'failed';

export interface JobRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  state: JobState;
  stopReason: StopReason | null;
  sourcePath: string;
  sourceSha256: string;
  settings: JobSettings;
  /** Set for a "retry failed rows" job: the job whose failed rows it sends. */
  parentJobId: string | null;
  /** Rows in the job's scope and how many of them pass the checks; null until counted. */
  totalRows: number | null;
  validRows: number | null;
  /** Sending time over all runs of the job. */
  elapsedMs: number;
  /** Who holds the job (job-lease.ts): null when nobody has claimed it since its last run. */
  owner: JobOwner | null;
}

/**
 * A claim on a job: a process (pid and start time, so a reused pid is told apart) and its lease,
 * in ms since the epoch. Held while `leaseUntil` is ahead; `token` names this one claim.
 */
export interface JobOwner {
  token: string;
  pid: number;
  startedAt: number;
  since: number;
  leaseUntil: number;
}

export interface StoredRow {
  index: number;
  line: number;
  username: string;
  state: RowState;
  errorName: string | null;
  errorMessage: string | null;
  logId: number | null;
}

/** A CSV row as the engine names it: its 0-based index, its line in the file, its username. */
export interface RowRef {
  index: number;
  line: number;
  username: string;
}

export interface RowOutcome extends RowRef {
  state: Exclude<RowState, 'sending'>;
  errorName?: string | undefined;
  errorMessage?: string | undefined;
}

/** An import_jobs row. `state` is trusted as typed: only the store writes it, from a JobState. */
export interface JobRow {
  id: string;
  created_at: string;
  updated_at: string;
  state: JobState;
  stop_reason: string | null;
  source_path: string;
  source_sha256: string;
  settings: string;
  parent_job_id: string | null;
  total_rows: number | null;
  valid_rows: number | null;
  elapsed_ms: number;
  owner: string | null;
  owner_pid: number | null;
  owner_started_at: number | null;
  owned_since: number | null;
  lease_until: number | null;
}

/** An import_rows row. `state` is trusted as typed: only the store writes it, from a RowState. */
export interface ImportRow {
  row_index: number;
  line: number;
  username: string;
  state: RowState;
  error_name: string | null;
  error_message: string | null;
  log_id: number | null;
}

/** Throws AppError('JobDamaged') naming the job when its settings or stop reason are damaged. */
export function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    state: row.state,
    stopReason: readStopReason(row.id, row.stop_reason),
    sourcePath: row.source_path,
    sourceSha256: row.source_sha256,
    settings: readSettings(row.id, row.settings),
    parentJobId: row.parent_job_id,
    totalRows: row.total_rows,
    validRows: row.valid_rows,
    elapsedMs: row.elapsed_ms,
    owner: toOwner(row),
  };
}

/** The claim columns as one owner, or null (no claim, or one written before leases existed). */
export function toOwner(
  row: Pick<JobRow, 'owner' | 'owner_pid' | 'owner_started_at' | 'owned_since' | 'lease_until'>,
): JobOwner | null {
  const { owner, owner_pid: pid, owner_started_at: startedAt, owned_since: since, lease_until: until } = row;
  if (owner === null || pid === null || startedAt === null || since === null || until === null) return null;
  return { token: owner, pid, startedAt, since, leaseUntil: until };
}

export function toStoredRow(row: ImportRow): StoredRow {
  return {
    index: row.row_index,
    line: row.line,
    username: row.username,
    state: row.state,
    errorName: row.error_name,
    errorMessage: row.error_message,
    logId: row.log_id,
  };
}
