/**
 * The log's tables and their migrations. The schema is the contract with every log already on
 * disk: a step, once shipped, never changes (a change is a new step), and bench/log-scale.ts keys
 * its cached 1M-entry log on the SQL SQLite records for these tables.
 */

/** The columns the free-text filter searches, in the text index's column order. */
export const TEXT_COLUMNS = [
  'username',
  'user_sub',
  'destination',
  'error_name',
  'error_message',
  'profile_name',
] as const;

/** Exported for the migration test (an old database at log:1). */
export const LOG_MIGRATIONS = [
  {
    name: 'log:1',
    sql: `
      CREATE TABLE log_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        source TEXT NOT NULL,
        job_id TEXT,
        row_number INTEGER,
        profile_id TEXT,
        profile_name TEXT,
        region TEXT NOT NULL,
        user_pool_id TEXT,
        client_id TEXT NOT NULL,
        username TEXT NOT NULL,
        outcome TEXT NOT NULL,
        user_sub TEXT,
        user_confirmed INTEGER,
        delivery_medium TEXT,
        destination TEXT,
        attribute_name TEXT,
        error_name TEXT,
        error_message TEXT,
        request_id TEXT,
        note TEXT
      );
      CREATE INDEX log_attempts_outcome ON log_attempts (outcome, id);
      CREATE INDEX log_attempts_job ON log_attempts (job_id, id) WHERE job_id IS NOT NULL;
      CREATE INDEX log_attempts_medium ON log_attempts (delivery_medium, id) WHERE delivery_medium IS NOT NULL;
      CREATE INDEX log_attempts_error ON log_attempts (error_name, id) WHERE error_name IS NOT NULL;
      CREATE INDEX log_attempts_time ON log_attempts (time);

      CREATE VIRTUAL TABLE log_attempts_text USING fts5 (
        ${TEXT_COLUMNS.join(', ')},
        content = 'log_attempts', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
      );
      CREATE TRIGGER log_attempts_ai AFTER INSERT ON log_attempts BEGIN
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES (new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_ad AFTER DELETE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_au AFTER UPDATE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES (new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
      END;
    `,
  },
  {
    // The text index is kept up to date in batches (catchUpText) instead of by a trigger per row:
    // a trigram insert per row cost ~50 µs of an import's ~360 µs per row (bench scenario b).
    // Every row up to log_text_progress.indexed_through is in the index; delete and update keep
    // those rows in step, and leave newer ones (not in the index yet) alone, since an FTS5
    // 'delete' of a row that was never indexed would corrupt the index.
    // https://www.sqlite.org/fts5.html#external_content_tables
    name: 'log:2',
    sql: `
      DROP TRIGGER log_attempts_ai;
      DROP TRIGGER log_attempts_ad;
      DROP TRIGGER log_attempts_au;
      CREATE TABLE log_text_progress (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        indexed_through INTEGER NOT NULL
      );
      INSERT INTO log_text_progress (singleton, indexed_through)
        VALUES (1, (SELECT coalesce(max(id), 0) FROM log_attempts));
      CREATE TRIGGER log_attempts_ad AFTER DELETE ON log_attempts
      WHEN old.id <= (SELECT indexed_through FROM log_text_progress) BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_au AFTER UPDATE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        SELECT 'delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')}
        WHERE old.id <= (SELECT indexed_through FROM log_text_progress);
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        SELECT new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')}
        WHERE new.id <= (SELECT indexed_through FROM log_text_progress);
      END;
    `,
  },
];
