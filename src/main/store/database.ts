/**
 * The one SQLite database under the data folder, shared by the log and the import jobs.
 * node:sqlite is built into Node ≥ 22.13 and Electron ≥ 40, so the app, the CLI and the tests
 * run the same code with no native module to rebuild per ABI (README: "Why node:sqlite").
 * https://nodejs.org/api/sqlite.html
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { explainDatabaseError } from './database-errors';

export type Database = DatabaseSync;

export const DATABASE_FILE = 'signup-desk.sqlite';

/** Where each open database lives, so a failure later (a migration) can still name the file. */
const paths = new WeakMap<Database, string>();

/** Rethrows a failure as the AppError that names the file and what to do, when we know one. */
function explained(path: string, error: unknown): unknown {
  return explainDatabaseError(path, error) ?? error;
}

/**
 * SQLite opens a file it cannot write read-only without a word and fails only at the first write
 * (https://www.sqlite.org/c3ref/open.html, SQLITE_OPEN_READWRITE): after Cognito has answered.
 * So ask the OS first; WAL also creates files beside the database, hence the folder.
 */
function assertWritable(path: string): void {
  accessSync(dirname(path), constants.W_OK);
  if (existsSync(path)) accessSync(path, constants.W_OK);
}

/**
 * Opens (or creates) the database and reads it once, so a damaged, read-only or unreachable file
 * fails here with a message naming it instead of as a bare SQLite error at the first query.
 */
export function openDatabase(path: string): Database {
  let db: Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    assertWritable(path);
    db = new DatabaseSync(path);
    // WAL lets the log screen read while an import writes, and survives a kill mid-write.
    // https://www.sqlite.org/wal.html
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    // The app and the CLI may write at once: wait for the other writer instead of failing.
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    // The first read of the schema: a file that is not SQLite, or whose schema pages are damaged,
    // fails here. A full integrity check (PRAGMA quick_check) reads every page, too slow for a
    // log with millions of entries on every start.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    db?.close();
    throw explained(path, error);
  }
  paths.set(db, path);
  return db;
}

/**
 * Applies each named step once, in order, each in its own transaction. Every store calls this
 * with its own prefix ("log:1", "import:1"…) so domains own their tables.
 */
export function migrate(db: Database, steps: ReadonlyArray<{ name: string; sql: string }>): void {
  try {
    applySteps(db, steps);
  } catch (error) {
    const path = paths.get(db);
    throw path === undefined ? error : explained(path, error);
  }
}

function applySteps(db: Database, steps: ReadonlyArray<{ name: string; sql: string }>): void {
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?');
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const step of steps) {
    if (applied.get(step.name) !== undefined) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      if (applied.get(step.name) === undefined) {
        db.exec(step.sql);
        record.run(step.name, new Date().toISOString());
      }
      db.exec('COMMIT');
    } catch (error) {
      rollback(db);
      throw error;
    }
  }
}

/** Runs `work` in one IMMEDIATE transaction (the write lock is taken up front, so no upgrade deadlock). */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}

/**
 * Rolls back unless SQLite already did: on SQLITE_FULL, SQLITE_IOERR and a few others it may roll
 * the transaction back itself (https://www.sqlite.org/lang_transaction.html, "Response To Errors
 * Within A Transaction"), and a second ROLLBACK ("no transaction is active") must not hide why.
 */
function rollback(db: Database): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // Already rolled back; the caller rethrows the error that caused it.
  }
}
