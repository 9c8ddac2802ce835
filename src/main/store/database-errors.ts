/**
 * What a failing database means to the person at the keyboard. node:sqlite throws a plain Error
 * with `code: 'ERR_SQLITE_ERROR'`, SQLite's result code in `errcode` and its text in `errstr`
 * (https://nodejs.org/api/sqlite.html); "database disk image is malformed" alone says neither
 * which file nor what to do, so the codes below become our own errors naming the file.
 * Result codes: https://www.sqlite.org/rescode.html (an extended code keeps the primary one in
 * its low 8 bits, e.g. SQLITE_READONLY_DBMOVED = 1032 = 8 | 4 << 8).
 */
import { basename } from 'node:path';
import { AppError } from '../errors';

const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

interface SqliteFailure {
  errcode: number;
  errstr: string;
}

function sqliteFailure(error: unknown): SqliteFailure | null {
  if (!(error instanceof Error)) return null;
  const { code, errcode, errstr } = error as Error & { code?: unknown; errcode?: unknown; errstr?: unknown };
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return null;
  return { errcode, errstr: typeof errstr === 'string' ? errstr : error.message };
}

/** Node's own code when making the data folder fails (mkdir), before SQLite is involved. */
function systemCode(error: unknown): string | null {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== 'ERR_SQLITE_ERROR' ? code : null;
}

const NOT_IN_IT = 'profiles and keychain secrets are not in it';

function damaged(path: string, why: string, cause: unknown): AppError {
  return new AppError(
    'DatabaseCorrupt',
    `The database ${path} is damaged (${why}). Move it aside (or restore a backup) and start again: SignUp Desk creates a new one; ${NOT_IN_IT}.`,
    {
      hint: 'The log and the import jobs live in that file: keep the moved copy if you still need them.',
      cause,
    },
  );
}

function readOnly(path: string, why: string, cause: unknown): AppError {
  const name = basename(path);
  return new AppError(
    'DatabaseReadOnly',
    `The database ${path} cannot be written (${why}). Give your user write access to it and to its folder (SQLite also writes ${name}-wal and ${name}-shm beside it), or set SIGNUP_DESK_HOME to a writable folder.`,
    { cause },
  );
}

function unavailable(path: string, why: string, cause: unknown): AppError {
  return new AppError(
    'DatabaseUnavailable',
    `The database ${path} cannot be opened (${why}). Check that its folder exists and that your user can read and write both, or set SIGNUP_DESK_HOME to a folder you own.`,
    { cause },
  );
}

function full(path: string, why: string, cause: unknown): AppError {
  return new AppError(
    'DiskFull',
    `The disk holding the database ${path} is full (${why}). Free some space on it and try again; nothing was lost.`,
    { cause },
  );
}

/** The AppError for a database failure we can explain, or null (the caller rethrows it as it is). */
export function explainDatabaseError(path: string, error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const sqlite = sqliteFailure(error);
  if (sqlite !== null) {
    const why = sqlite.errstr;
    switch (sqlite.errcode & 0xff) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return damaged(path, why, error);
      case SQLITE_READONLY:
        return readOnly(path, why, error);
      case SQLITE_CANTOPEN:
        return unavailable(path, why, error);
      case SQLITE_FULL:
        return full(path, why, error);
      default:
        return null;
    }
  }
  // https://nodejs.org/api/errors.html#common-system-errors
  switch (systemCode(error)) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return readOnly(path, (error as Error).message, error);
    case 'ENOSPC':
      return full(path, (error as Error).message, error);
    default:
      return null;
  }
}
