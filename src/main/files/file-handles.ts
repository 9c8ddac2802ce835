/**
 * The files the user chose, by handle: main keeps the path, the renderer gets a random id it can
 * pass back but cannot forge or turn into a path (128 random bits, base64url — RFC 4648 §5). A
 * path reaches the registry only from main's own open dialog, from a dropped file the user
 * confirmed (docs/security.md#files), or from browser mode's own uploads. Handles live as long as
 * the process: a restart forgets them and the user picks the file again.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { AppError } from '../errors';

/** Enough for any session; the oldest handle goes first so a loop of picks cannot grow main. */
const MAX_HANDLES = 256;

interface ChosenFile {
  handle: string;
  /** The file's name, for the renderer to show: never its folder. */
  name: string;
  size: number;
}

export interface FileHandles {
  /** A new handle for a path main itself obtained (a dialog, a confirmed drop, an upload). */
  register(path: string, size: number): ChosenFile;
  /** The path behind a handle; UnknownFile when main never handed it out. */
  resolve(handle: string): string;
}

export function createFileHandles(): FileHandles {
  const paths = new Map<string, string>();
  return {
    register(path, size) {
      const handle = randomBytes(16).toString('base64url');
      paths.set(handle, path);
      if (paths.size > MAX_HANDLES) {
        const oldest = paths.keys().next();
        if (oldest.done !== true) paths.delete(oldest.value);
      }
      return { handle, name: basename(path), size };
    },
    resolve(handle) {
      const path = paths.get(handle);
      if (path === undefined)
        throw new AppError('UnknownFile', 'The app no longer knows which file this was.', {
          hint: 'Choose the file again.',
        });
      return path;
    },
  };
}
