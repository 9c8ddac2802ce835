/**
 * The import tables and their migrations. A step, once shipped, never changes (a change is a new
 * step): every database already on disk went through it.
 *
 * import_rows holds a row only once it has been sent or judged; a row with no record has not been
 * sent (or was sent and certainly refused, e.g. throttled) and is sent on resume. import_selection
 * limits a "retry failed rows" job to its rows.
 *
 * import:2 — who holds a job (job-lease.ts): `owner` becomes the claim's token, next to the
 * holder's pid and process start time (for the "running in pid …" message), when it claimed the job,
 * and the lease's end. A claim is live while its lease has not ended; the owner renews it. Owners
 * written before (a bare pid, no lease) hold nothing: such a job left 'running' is interrupted.
 */
export const IMPORT_MIGRATIONS = [
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
  {
    name: 'import:2',
    sql: `
      ALTER TABLE import_jobs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE import_jobs ADD COLUMN owner_started_at INTEGER;
      ALTER TABLE import_jobs ADD COLUMN owned_since INTEGER;
      ALTER TABLE import_jobs ADD COLUMN lease_until INTEGER;
      UPDATE import_jobs SET owner = NULL;
    `,
  },
];
