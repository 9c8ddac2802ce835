/**
 * The only way main opens a file someone else named (a CSV to import, a job's source on resume):
 * opened without blocking, then checked on the opened descriptor, so a FIFO, a device (/dev/zero)
 * or a directory is refused at once instead of tying up one of libuv's few threads
 * (https://docs.libuv.org/en/v1.x/threadpool.html) or reading forever.
 *
 * - O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, inside the thread pool
 *   (https://man7.org/linux/man-pages/man7/fifo.7.html). It changes nothing for a regular file:
 *   reads from disk never return EAGAIN (https://man7.org/linux/man-pages/man2/open.2.html).
 *   Node: https://nodejs.org/api/fs.html#file-open-constants (undefined on Windows, where a path
 *   cannot name a FIFO anyway, hence `?? 0`).
 * - The check is fstat on that descriptor, not a stat of the path beforehand: the path could be
 *   swapped between a check and the open (TOCTOU, CWE-367), the descriptor cannot.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../errors';

const READ_NONBLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function notFound(path: string, cause: unknown): AppError {
  return new AppError('FileNotFound', `There is no file at ${path}.`, {
    hint: 'Choose the file again.',
    cause,
  });
}

/** An open descriptor of a regular file and its size; the caller closes it (or hands it to a stream). */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_NONBLOCKING);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound(path, error);
    if (code === 'EISDIR') throw notRegular(path);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(path);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The size of a regular file at `path`, or the same errors as openRegularFile; nothing is read. */
export async function regularFileSize(path: string): Promise<number> {
  const { handle, size } = await openRegularFile(path);
  await handle.close();
  return size;
}

function notRegular(path: string): AppError {
  return new AppError('NotARegularFile', `${basename(path)} is not a regular file.`, {
    hint: 'Choose a CSV file saved on disk (not a folder, a device or a pipe).',
  });
}
