/**
 * POST /__upload: the page hands main a file (what Electron's webUtils.getPathForFile does for a
 * dropped file, and how a file picked in the page reaches main). The body is stored in the run's
 * private folder and its path answered; a body over the limit is refused with 413 (RFC 9110 §15.5.14)
 * and nothing of it is kept.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { FILE_NAME_HEADER } from './protocol';
import { PRIVATE_FILE_MODE, type RunFolder } from './run-folder';

/** Big enough for any CSV a person imports by hand (a million rows is ~100 MB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export type UploadResult = { ok: true; path: string } | { ok: false; status: 400 | 413; message: string };

export interface Uploads {
  receive(req: IncomingMessage): Promise<UploadResult>;
  /** Whether main handed out this path for an upload (a page may only answer a dialog with one). */
  owns(path: string): boolean;
}

function safeName(header: string | string[] | undefined): string | null {
  try {
    const raw = decodeURIComponent(String(header ?? ''));
    return basename(raw).replace(/[^\w.-]+/g, '_') || 'upload';
  } catch {
    return null; // not valid percent-encoding
  }
}

export function createUploads(folder: RunFolder, maxBytes: number): Uploads {
  const issued = new Set<string>();
  return {
    owns: (path) => issued.has(path),
    receive: async (req) => {
      const tooLarge = {
        ok: false,
        status: 413,
        message: `The file is larger than browser mode takes (${maxBytes} bytes).`,
      } as const;
      if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge;
      const name = safeName(req.headers[FILE_NAME_HEADER]);
      if (name === null) return { ok: false, status: 400, message: 'The file name is not URI-encoded.' };
      const path = join(await folder.subfolder(), name);
      const out = createWriteStream(path, { mode: PRIVATE_FILE_MODE });
      let received = 0;
      let complete = false;
      try {
        // Counts as it goes: a chunked body has no Content-Length to check up front. Stopping
        // without destroying the request leaves its socket able to carry the 413 answer.
        for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
          received += chunk.length;
          if (received > maxBytes) break;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        complete = received <= maxBytes;
      } finally {
        out.end();
        await finished(out).catch(() => undefined);
        // Too large, or the page went away mid-upload: keep nothing of it.
        if (!complete) await rm(path, { force: true });
      }
      if (!complete) return tooLarge;
      issued.add(path);
      return { ok: true, path };
    },
  };
}
