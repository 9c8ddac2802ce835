/**
 * Room on disk for a run: an import writes every outcome to the database in the data folder and
 * every line to the report, so a disk that fills mid-run loses what it cannot write (a generated
 * password among it). A run does not start below MIN_FREE_BYTES, and a write that fails because
 * the disk is full is told apart from other failures so the job stops with a reason that says so.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../errors';

/** Far above what one run writes per minute (a few hundred bytes per row), far below any real disk. */
export const MIN_FREE_BYTES = 50 * 1024 * 1024;

/** Free bytes of the file system holding `folder`, as an unprivileged process may use them. */
export type FreeSpace = (folder: string) => Promise<number>;

/** https://nodejs.org/api/fs.html#fspromisesstatfspath-options — `bavail` excludes root's reserve. */
export const freeSpaceOf: FreeSpace = async (folder) => {
  const stats = await statfs(folder);
  return stats.bavail * stats.bsize;
};

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Throws DiskFull when a folder's disk has less than `minimum` free; a folder that cannot be asked is let be. */
export async function assertFreeSpace(
  folders: readonly string[],
  freeSpace: FreeSpace = freeSpaceOf,
  minimum = MIN_FREE_BYTES,
): Promise<void> {
  for (const folder of new Set(folders)) {
    const free = await freeSpace(folder).catch(() => null);
    if (free === null || free >= minimum) continue;
    throw new AppError(
      'DiskFull',
      `The disk is nearly full: ${folder} has ${megabytes(free)} free; an import needs at least ${megabytes(minimum)}.`,
      {
        hint: 'Free some space on that disk (or choose a report folder on another one), then start or resume the import.',
      },
    );
  }
}

/** Refuses a run when the data folder's or the report's disk is nearly full. */
export function assertRoomFor(
  dataFolder: string | undefined,
  reportPath: string | undefined,
  freeSpace: FreeSpace = freeSpaceOf,
): Promise<void> {
  const folders = [dataFolder, reportPath === undefined ? undefined : dirname(reportPath)];
  return assertFreeSpace(
    folders.filter((folder): folder is string => folder !== undefined),
    freeSpace,
  );
}

/**
 * Whether a write failed because the disk (or the database's size limit) is full: SQLite's
 * SQLITE_FULL (13, https://www.sqlite.org/rescode.html#full) as node:sqlite reports it, or the
 * file system's ENOSPC for the report.
 */
export function isDiskFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  if (code === 'ENOSPC') return true;
  if (typeof errcode === 'number' && (errcode & 0xff) === 13) return true;
  return /database or disk is full/i.test(error.message);
}

/** The reason a run stops with when the disk filled: what happened, and what to do. */
export function diskFullError(cause: unknown): AppError {
  return new AppError(
    'DiskFull',
    'The disk is full: the job paused cleanly with every outcome recorded so far kept; rows whose answer could not be recorded are sent again on resume.',
    {
      hint: 'Free some space on the disk that holds the data folder and the report, then resume the job. A user created whose generated password could not be recorded is reported as "created — password lost, reset it".',
      cause,
    },
  );
}
