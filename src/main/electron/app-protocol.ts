/**
 * The app:// protocol that serves the built renderer (checklist item 18: no file://). Under
 * file:// every local file shared the page's origin, so the CSP's 'self' matched the whole disk;
 * here the page's origin is app://signup-desk and the only files it can reach are the ones inside
 * the renderer folder. Pure (global Request/Response, node:fs) so it is unit-tested; the Electron
 * glue that registers it is protocol.ts.
 * https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CSP_HEADER } from './csp';

export const APP_SCHEME = 'app';
const APP_HOST = 'signup-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** What the renderer build emits, and nothing else gets a real type (see mimeTypeFor). */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name; unknown types are opaque bytes (and nosniff keeps them so). */
export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

type AppPathResult = { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string };

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Maps an app:// URL to a file path inside `root` (absolute), or says why not. Only our host; the
 * path is percent-decoded once, must not hold NUL or backslashes (a decoded `%5C` is a separator
 * on Windows), and must resolve strictly inside `root` — `..` segments, encoded or not, cannot
 * leave it; no `:` either (drive letters, NTFS streams). `/` is index.html. Query and fragment are ignored.
 */
export function resolveAppPath(root: string, url: string): AppPathResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { ok: false, status: 404, reason: 'not this app' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (/[\0\\:]/.test(pathname)) {
    return { ok: false, status: 400, reason: 'bad characters in path' };
  }
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const base = resolve(root);
  const candidate = resolve(base, `.${pathname.split('/').join(sep)}`);
  if (!inside(base, candidate)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
  return { ok: true, path: candidate };
}

interface AppProtocolFs {
  readFile(path: string): Promise<Uint8Array>;
  realpath(path: string): Promise<string>;
}

const nodeFs: AppProtocolFs = { readFile: (path) => readFile(path), realpath: (path) => realpath(path) };

/** Headers on every answer: the CSP (header form, with frame-ancestors) and no MIME sniffing. */
function baseHeaders(): Headers {
  return new Headers({ 'Content-Security-Policy': CSP_HEADER, 'X-Content-Type-Options': 'nosniff' });
}

function refuse(status: number, text: string): Response {
  const headers = baseHeaders();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  return new Response(text, { status, headers });
}

/**
 * The protocol.handle handler for app://: GET/HEAD of files inside `root` only. A symlink inside the
 * folder that points outside it is refused too (the real path must stay inside the real root).
 */
export function createAppProtocolHandler(
  root: string,
  fs: AppProtocolFs = nodeFs,
): (request: Request) => Promise<Response> {
  const realRoot = fs.realpath(resolve(root)).catch(() => resolve(root));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const target = resolveAppPath(root, request.url);
    if (!target.ok) return refuse(target.status, 'Not found');
    let real: string;
    try {
      real = await fs.realpath(target.path);
    } catch {
      return refuse(404, 'Not found');
    }
    if (!inside(await realRoot, real)) return refuse(403, 'Not found');
    let body: Uint8Array;
    try {
      body = await fs.readFile(real);
    } catch {
      // A folder, or a file that went away between the two calls.
      return refuse(404, 'Not found');
    }
    const headers = baseHeaders();
    headers.set('Content-Type', mimeTypeFor(target.path));
    headers.set('Content-Length', String(body.byteLength));
    return new Response(request.method === 'HEAD' ? null : new Blob([body]), { status: 200, headers });
  };
}
