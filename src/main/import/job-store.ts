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
 */
import type { LogEntry } from '@shared/contract';
import type { NewLogEntry } from '../log/log-store';
import { migrate, transaction, type Database } from '../store/database';
import type { MappingOverrides, ColumnMapping } from './column-mapping';
import type { CsvDelimiter, CsvEncoding } from './csv-source';
import type { PasswordPolicy } from './password-generator';
import type { StopReason } from './retry-policy';

export type JobState = 'running' | 'paused' | 'stopped' | 'cancelled' | 'completed' | 'interrupted';
export type RowState = 'sending' | 'created' | 'exists' | 'invalid' | 'failed';

/** Where the job sends: a profile's settings without its secret (resolved at start/resume). */
export interface ConnectionMetadata {
  region: string;
  clientId: string;
  userPoolId?: string;
  endpoint?: string;
  profileId?: string;
  profileName?: string;
}

/** How passwords are obtained, as stored: a shared password itself is never stored. */
export type StoredPasswordSource =
  { kind: 'column' } | { kind: 'shared' } | { kind: 'generated'; policy: PasswordPolicy };

export interface JobSettings {
  connection: ConnectionMetadata;
  overrides: MappingOverrides;
  mapping: ColumnMapping;
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
  passwordSource: StoredPasswordSource;
  /** Requests per second (the cap) and parallel requests. */
  rate: number;
  concurrency: number;
  reportPath?: string;
  caseSensitiveUsernames: boolean;
}

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
  /** Which process runs it (pid), for telling a live job from an interrupted one. */
  owner: string | null;
}

export interface RowCounts {
  sending: number;
  created: number;
  exists: number;
  invalid: number;
  failed: number;
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

export interface RowOutcome {
  index: number;
  line: number;
  username: string;
  state: Exclude<RowState, 'sending'>;
  errorName?: string;
  errorMessage?: string;
}

export interface RowRef {
  index: number;
  line: number;
  username: string;
}

export interface OutcomeWithEntry {
  outcome: RowOutcome;
  entry: NewLogEntry;
}

export interface NewJob {
  id: string;
  sourcePath: string;
  sourceSha256: string;
  settings: JobSettings;
  parentJobId?: string;
  /** Row indexes the job is limited to (retry of failed rows); absent = every row of the file. */
  selection?: Iterable<number>;
  owner: string;
}

export interface JobStore {
  createJob(job: NewJob): JobRecord;
  getJob(id: string): JobRecord | undefined;
  /** Newest first. */
  listJobs(): JobRecord[];
  setState(id: string, state: JobState, stopReason?: StopReason | null): void;
  setOwner(id: string, owner: string | null): void;
  setTotals(id: string, totalRows: number, validRows: number): void;
  setSettings(id: string, settings: JobSettings): void;
  addElapsed(id: string, ms: number): void;
  /** Jobs left 'running' whose owner `isLive` denies become 'interrupted'; returns their ids. */
  markInterrupted(isLive: (owner: string | null) => boolean): string[];
  hasSelection(id: string): boolean;
  inSelection(id: string, index: number): boolean;
  row(jobId: string, index: number): StoredRow | undefined;
  /** Committed on its own, before the request goes out. */
  markSending(jobId: string, row: RowRef): void;
  /** Marks every given row 'sending' in ONE transaction, before any of them is sent. */
  reserve(jobId: string, rows: readonly RowRef[]): void;
  /** The request certainly created nothing (throttled, quota): the row goes back to "not sent". */
  clearSending(jobId: string, index: number): void;
  /** clearSending for many rows (reserved but never sent), in one transaction. */
  release(jobId: string, indexes: readonly number[]): void;
  /** The row's outcome and its log entry, in one transaction. Returns the log entry with its id. */
  recordOutcome(jobId: string, outcome: RowOutcome, entry: NewLogEntry): LogEntry;
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

const MIGRATIONS = [
  {
    name: 'import:1',
    sql: `
      CREATE TABLE import_jobs (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state TEXT NOT NULL,
        stop_reason TEXT,
        source_path TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        settings TEXT NOT NULL,
        parent_job_id TEXT REFERENCES import_jobs (id),
        total_rows INTEGER,
        valid_rows INTEGER,
        elapsed_ms INTEGER NOT NULL DEFAULT 0,
        owner TEXT
      );
      CREATE INDEX import_jobs_state ON import_jobs (state);
      CREATE TABLE import_rows (
        job_id TEXT NOT NULL REFERENCES import_jobs (id),
        row_index INTEGER NOT NULL,
        line INTEGER NOT NULL,
        username TEXT NOT NULL,
        state TEXT NOT NULL,
        error_name TEXT,
        error_message TEXT,
        log_id INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job_id, row_index)
      ) WITHOUT ROWID;
      CREATE INDEX import_rows_state ON import_rows (job_id, state);
      CREATE TABLE import_selection (
        job_id TEXT NOT NULL REFERENCES import_jobs (id),
        row_index INTEGER NOT NULL,
        PRIMARY KEY (job_id, row_index)
      ) WITHOUT ROWID;
    `,
  },
];

interface JobRow {
  id: string;
  created_at: string;
  updated_at: string;
  state: string;
  stop_reason: string | null;
  source_path: string;
  source_sha256: string;
  settings: string;
  parent_job_id: string | null;
  total_rows: number | null;
  valid_rows: number | null;
  elapsed_ms: number;
  owner: string | null;
}

interface ImportRow {
  row_index: number;
  line: number;
  username: string;
  state: string;
  error_name: string | null;
  error_message: string | null;
  log_id: number | null;
}

function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    state: row.state as JobState,
    stopReason: row.stop_reason === null ? null : (JSON.parse(row.stop_reason) as StopReason),
    sourcePath: row.source_path,
    sourceSha256: row.source_sha256,
    settings: JSON.parse(row.settings) as JobSettings,
    parentJobId: row.parent_job_id,
    totalRows: row.total_rows,
    validRows: row.valid_rows,
    elapsedMs: row.elapsed_ms,
    owner: row.owner,
  };
}

function toStoredRow(row: ImportRow): StoredRow {
  return {
    index: row.row_index,
    line: row.line,
    username: row.username,
    state: row.state as RowState,
    errorName: row.error_name,
    errorMessage: row.error_message,
    logId: row.log_id,
  };
}

/** Settings as written: the shared password cannot get in even if a caller passes it along. */
function storable(settings: JobSettings): string {
  const source = settings.passwordSource;
  const passwordSource: StoredPasswordSource =
    source.kind === 'generated' ? { kind: 'generated', policy: source.policy } : { kind: source.kind };
  return JSON.stringify({ ...settings, passwordSource });
}

export function createJobStore(
  db: Database,
  log: { record(entry: NewLogEntry): number },
  now: () => number = Date.now,
): JobStore {
  migrate(db, MIGRATIONS);
  const iso = (): string => new Date(now()).toISOString();
  const insertJob =
    db.prepare(`INSERT INTO import_jobs (id, created_at, updated_at, state, source_path, source_sha256,
    settings, parent_job_id, owner) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)`);
  const insertSelection = db.prepare(
    'INSERT OR IGNORE INTO import_selection (job_id, row_index) VALUES (?, ?)',
  );
  const jobById = db.prepare('SELECT * FROM import_jobs WHERE id = ?');
  const allJobs = db.prepare('SELECT * FROM import_jobs ORDER BY created_at DESC, rowid DESC');
  const updateState = db.prepare(
    'UPDATE import_jobs SET state = ?, stop_reason = ?, updated_at = ? WHERE id = ?',
  );
  const updateOwner = db.prepare('UPDATE import_jobs SET owner = ?, updated_at = ? WHERE id = ?');
  const updateTotals = db.prepare(
    'UPDATE import_jobs SET total_rows = ?, valid_rows = ?, updated_at = ? WHERE id = ?',
  );
  const updateSettings = db.prepare('UPDATE import_jobs SET settings = ?, updated_at = ? WHERE id = ?');
  const updateElapsed = db.prepare(
    'UPDATE import_jobs SET elapsed_ms = elapsed_ms + ?, updated_at = ? WHERE id = ?',
  );
  const runningJobs = db.prepare("SELECT id, owner FROM import_jobs WHERE state = 'running'");
  const anySelection = db.prepare('SELECT 1 FROM import_selection WHERE job_id = ? LIMIT 1');
  const selected = db.prepare('SELECT 1 FROM import_selection WHERE job_id = ? AND row_index = ?');
  const rowByIndex = db.prepare('SELECT * FROM import_rows WHERE job_id = ? AND row_index = ?');
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

  const getJob = (id: string): JobRecord | undefined => {
    const row = jobById.get(id) as JobRow | undefined;
    return row === undefined ? undefined : toJob(row);
  };
  const withId = (entry: NewLogEntry, id: number): LogEntry => ({ id, ...entry });
  const writeOutcome = (jobId: string, { outcome, entry }: OutcomeWithEntry, time: string): LogEntry => {
    const id = log.record(entry);
    upsertRow.run(
      jobId,
      outcome.index,
      outcome.line,
      outcome.username,
      outcome.state,
      outcome.errorName ?? null,
      outcome.errorMessage ?? null,
      id,
      time,
    );
    return withId(entry, id);
  };

  return {
    createJob(job) {
      return transaction(db, () => {
        const time = iso();
        insertJob.run(
          job.id,
          time,
          time,
          job.sourcePath,
          job.sourceSha256,
          storable(job.settings),
          job.parentJobId ?? null,
          job.owner,
        );
        for (const index of job.selection ?? []) insertSelection.run(job.id, index);
        const created = getJob(job.id);
        if (created === undefined) throw new Error(`Job ${job.id} was not stored`);
        return created;
      });
    },
    getJob,
    listJobs: () => (allJobs.all() as unknown as JobRow[]).map(toJob),
    setState(id, state, stopReason) {
      updateState.run(state, stopReason ? JSON.stringify(stopReason) : null, iso(), id);
    },
    setOwner(id, owner) {
      updateOwner.run(owner, iso(), id);
    },
    setTotals(id, totalRows, validRows) {
      updateTotals.run(totalRows, validRows, iso(), id);
    },
    setSettings(id, settings) {
      updateSettings.run(storable(settings), iso(), id);
    },
    addElapsed(id, ms) {
      updateElapsed.run(Math.max(0, Math.round(ms)), iso(), id);
    },
    markInterrupted(isLive) {
      const ids: string[] = [];
      for (const job of runningJobs.all() as unknown as Array<{ id: string; owner: string | null }>) {
        if (isLive(job.owner)) continue;
        updateState.run('interrupted', null, iso(), job.id);
        ids.push(job.id);
      }
      return ids;
    },
    hasSelection: (id) => anySelection.get(id) !== undefined,
    inSelection: (id, index) => selected.get(id, index) !== undefined,
    row(jobId, index) {
      const row = rowByIndex.get(jobId, index) as ImportRow | undefined;
      return row === undefined ? undefined : toStoredRow(row);
    },
    markSending(jobId, row) {
      // A single statement outside a transaction commits on its own (autocommit).
      upsertRow.run(jobId, row.index, row.line, row.username, 'sending', null, null, null, iso());
    },
    reserve(jobId, rows) {
      if (rows.length === 0) return;
      transaction(db, () => {
        const time = iso();
        for (const row of rows)
          upsertRow.run(jobId, row.index, row.line, row.username, 'sending', null, null, null, time);
      });
    },
    clearSending(jobId, index) {
      deleteSending.run(jobId, index);
    },
    release(jobId, indexes) {
      if (indexes.length === 0) return;
      transaction(db, () => {
        for (const index of indexes) deleteSending.run(jobId, index);
      });
    },
    recordOutcome(jobId, outcome, entry) {
      return transaction(db, () => writeOutcome(jobId, { outcome, entry }, iso()));
    },
    recordOutcomes(jobId, items, reserve = []) {
      if (items.length === 0 && reserve.length === 0) return [];
      return transaction(db, () => {
        const time = iso();
        for (const row of reserve)
          upsertRow.run(jobId, row.index, row.line, row.username, 'sending', null, null, null, time);
        return items.map((item) => writeOutcome(jobId, item, time));
      });
    },
    statesBetween(jobId, from, to) {
      const states = new Map<number, RowState>();
      for (const row of statesIn.all(jobId, from, to) as unknown as Array<{
        row_index: number;
        state: RowState;
      }>)
        states.set(row.row_index, row.state);
      return states;
    },
    highestIndex: (jobId) => (maxIndex.get(jobId) as { n: number | null }).n,
    recordAttempt(entry) {
      return withId(entry, log.record(entry));
    },
    counts(jobId) {
      const counts: RowCounts = { sending: 0, created: 0, exists: 0, invalid: 0, failed: 0 };
      for (const { state, n } of countByState.all(jobId) as unknown as Array<{
        state: RowState;
        n: number;
      }>) {
        counts[state] = n;
      }
      return counts;
    },
    rowsInState: (jobId, state) => (byState.all(jobId, state) as unknown as ImportRow[]).map(toStoredRow),
    rowsWithOutcomeAfter: (jobId, afterIndex, limit) =>
      (withOutcomeAfter.all(jobId, afterIndex, limit) as unknown as ImportRow[]).map(toStoredRow),
  };
}
