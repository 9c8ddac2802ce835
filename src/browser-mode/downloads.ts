/**
 * POST /__download { id }: hands the page a file main saved for it (page-link.ts offered it over
 * the socket), once — the id is single-use — and then deletes it: the copy in the person's
 * Downloads folder is the one that counts, and reports may hold passwords.
 * A POST (not a GET link) so that the browser sends Origin (Fetch: same-origin GETs carry none).
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PageLinkHost } from './page-link';

const MAX_BODY_BYTES = 1024;

async function readId(req: IncomingMessage): Promise<string | null> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MAX_BODY_BYTES) return null;
  }
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : null;
  } catch {
    return null;
  }
}

/** RFC 6266 filename*, so any name survives the header. https://www.rfc-editor.org/rfc/rfc6266 */
function attachment(name: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  pages: PageLinkHost,
): Promise<void> {
  const id = await readId(req);
  const download = id === null ? null : pages.takeDownload(id);
  if (download === null) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"No such download"}');
    return;
  }
  try {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': attachment(download.name),
      'cache-control': 'no-store',
    });
    await pipeline(createReadStream(download.path), res);
  } finally {
    // page-link.ts gives every download a folder of its own.
    await rm(dirname(download.path), { recursive: true, force: true });
  }
}
