/**
 * The checks before a run sends anything: that a job's file is still the one it read (by
 * checksum), and that a file to start from can be read at all.
 */
import { access, constants } from 'node:fs/promises';
import { AppError } from '../../errors';
import { fileChecksum } from '../csv-source';
import type { JobRecord } from '../job-store';
import { PENDING_CHECKSUM } from './job-checksum';

export function sourceChanged(path: string): AppError {
  return new AppError(
    'SourceChanged',
    `The file ${path} has changed since the job started (its SHA-256 differs).`,
    {
      hint: 'Resuming would match rows by position in a different file. Put the original file back, or start a new import with the new file.',
    },
  );
}

/** Throws SourceMissing when the file to start from cannot be read. */
export async function assertReadable(path: string): Promise<void> {
  await access(path, constants.R_OK).catch((error: unknown) => {
    throw new AppError('SourceMissing', `The file ${path} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  });
}

/**
 * Throws SourceMissing or SourceChanged unless the job's file has the checksum it was started
 * with. A job whose counting pass never finished has none yet: nothing was sent, and its next
 * counting pass takes it (counting-pass.ts).
 */
export async function assertUnchanged(job: JobRecord): Promise<void> {
  if (job.sourceSha256 === PENDING_CHECKSUM) return;
  let checksum: string;
  try {
    checksum = await fileChecksum(job.sourcePath);
  } catch (error) {
    throw new AppError(
      'SourceMissing',
      `The job's file ${job.sourcePath} cannot be read: ${(error as Error).message}`,
      {
        hint: 'Put the original file back at that path to resume the job.',
        cause: error,
      },
    );
  }
  if (checksum !== job.sourceSha256) throw sourceChanged(job.sourcePath);
}
