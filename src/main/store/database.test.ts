/**
 * A database that cannot be used fails at open with our own error naming the file and what to
 * do, from real files: garbage, a damaged schema page, a read-only file or folder, a full one.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { explainDatabaseError } from './database-errors';
import { migrate, openDatabase } from './database';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signup-db-'));
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

function failure(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure');
}

/** Root ignores file modes, so a chmod test proves nothing there. */
const isRoot = process.getuid?.() === 0;
if (isRoot) console.warn('database.test: running as root, chmod has no effect: read-only file tests skipped');

describe('opening a database that cannot be used', () => {
  it('names a garbage file as damaged and says what to do', () => {
    const path = join(dir, 'signup-desk.sqlite');
    writeFileSync(path, Buffer.alloc(8192, 'not a database '));
    const error = failure(() => openDatabase(path));
    expect(error.name).toBe('DatabaseCorrupt');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/is damaged \(file is not a database\)\. Move it aside/);
    expect(error.message).toMatch(/profiles and keychain secrets are not in it/);
  });

  it('names a file whose schema page is damaged', () => {
    const path = join(dir, 'signup-desk.sqlite');
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE a (x); CREATE TABLE b (y); CREATE INDEX ia ON a (x)');
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 100, 4096); // page 1 after the 100-byte header holds sqlite_schema
    writeFileSync(path, bytes);
    const error = failure(() => openDatabase(path));
    expect(error.name).toBe('DatabaseCorrupt');
    expect(error.message).toContain(path);
  });

  it('names the file when a migration fails on it (here: the database is full)', () => {
    const path = join(dir, 'signup-desk.sqlite');
    const db = openDatabase(path);
    db.exec('PRAGMA max_page_count = 8');
    const error = failure(() =>
      migrate(db, [{ name: 'test:1', sql: 'CREATE TABLE big AS SELECT randomblob(200000) AS b' }]),
    );
    db.close();
    expect(error.name).toBe('DiskFull');
    expect(error.message).toContain(`database ${path} is full`);
  });

  it.skipIf(isRoot)('names a read-only file and says to give write access', () => {
    const path = join(dir, 'signup-desk.sqlite');
    openDatabase(path).close();
    chmodSync(path, 0o444);
    const error = failure(() => openDatabase(path));
    expect(error.name).toBe('DatabaseReadOnly');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/Give your user write access/);
  });

  it.skipIf(isRoot)('names a new database in a read-only folder', () => {
    const folder = join(dir, 'data');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const path = join(folder, 'signup-desk.sqlite');
    const error = failure(() => openDatabase(path));
    expect(['DatabaseUnavailable', 'DatabaseReadOnly']).toContain(error.name);
    expect(error.message).toContain(path);
    chmodSync(folder, 0o755);
  });
});

describe('explaining what SQLite threw', () => {
  function thrown(work: () => unknown): unknown {
    try {
      work();
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  }

  it('maps SQLITE_READONLY (also when the chmod tests cannot run)', () => {
    const path = join(dir, 'ro.sqlite');
    openDatabase(path).close();
    const db = new DatabaseSync(path, { readOnly: true });
    const error = explainDatabaseError(
      path,
      thrown(() => db.exec('CREATE TABLE t (x)')),
    );
    db.close();
    expect(error?.name).toBe('DatabaseReadOnly');
    expect(error?.message).toContain('(attempt to write a readonly database)');
  });

  it('maps SQLITE_FULL to DiskFull', () => {
    const path = join(dir, 'full.sqlite');
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE t (x); PRAGMA max_page_count = 3');
    const error = explainDatabaseError(
      path,
      thrown(() => db.exec('INSERT INTO t VALUES (randomblob(100000))')),
    );
    db.close();
    expect(error?.name).toBe('DiskFull');
    expect(error?.message).toMatch(new RegExp(`database ${path} is full \\(database or disk is full\\)`));
  });

  it('leaves other errors (a syntax error, a system error it does not know) alone', () => {
    const db = new DatabaseSync(':memory:');
    expect(
      explainDatabaseError(
        'x',
        thrown(() => db.exec('CREATE TABLE')),
      ),
    ).toBeNull();
    db.close();
    const busy = Object.assign(new Error('busy'), { code: 'EBUSY' });
    expect(explainDatabaseError('x', busy)).toBeNull();
  });
});
