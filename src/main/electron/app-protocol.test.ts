import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  createAppProtocolHandler,
  mimeTypeFor,
  resolveAppPath,
} from './app-protocol';
import { CSP_HEADER } from './csp';

let scratch: string;
let root: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  root = join(scratch, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'a b.css'), 'p{}');
  // Next to the renderer folder, sharing its name as a prefix: must stay unreachable.
  mkdirSync(join(scratch, 'renderer-secrets'));
  writeFileSync(join(scratch, 'renderer-secrets', 'key.txt'), 'secret');
  writeFileSync(join(scratch, 'outside.txt'), 'secret');
  try {
    symlinkSync(join(scratch, 'outside.txt'), join(root, 'assets', 'link.txt'));
  } catch {
    // No symlinks allowed (Windows without the privilege): that test is skipped below.
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveAppPath', () => {
  it('maps our URLs to files inside the folder', () => {
    expect(resolveAppPath(root, APP_ENTRY_URL)).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppPath(root, `${APP_ORIGIN}/`)).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppPath(root, APP_ORIGIN)).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/app.js?v=1#x`)).toEqual({
      ok: true,
      path: join(root, 'assets', 'app.js'),
    });
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/a%20b.css`)).toEqual({
      ok: true,
      path: join(root, 'assets', 'a b.css'),
    });
  });

  it('refuses other hosts and schemes', () => {
    for (const url of [
      'app://other/index.html',
      'app://signup-desk.evil/index.html',
      'app://signup-desk:8080/index.html',
      'file:///index.html',
      'https://signup-desk/index.html',
      'not a url',
    ]) {
      expect(resolveAppPath(root, url).ok, url).toBe(false);
    }
  });

  it('never leaves the folder, whatever the encoding', () => {
    for (const url of [
      `${APP_ORIGIN}/..%2F..%2Foutside.txt`,
      `${APP_ORIGIN}/assets/%2E%2E%2F%2E%2E%2Foutside.txt`,
      `${APP_ORIGIN}/..%5Coutside.txt`,
      `${APP_ORIGIN}/assets%5C..%5C..%5Coutside.txt`,
      `${APP_ORIGIN}/%2e%2e%2frenderer-secrets/key.txt`,
      `${APP_ORIGIN}/index.html%00.js`,
      `${APP_ORIGIN}/C:/outside.txt`,
      `${APP_ORIGIN}/index.html%3A%3A$DATA`,
      `${APP_ORIGIN}/%E0%A4%A`,
    ]) {
      const result = resolveAppPath(root, url);
      expect(result.ok, url).toBe(false);
    }
    // The URL parser itself removes dot segments (also %2e%2e between slashes): they stay inside.
    for (const url of [`${APP_ORIGIN}/../../outside.txt`, `${APP_ORIGIN}/%2e%2e/outside.txt`]) {
      expect(resolveAppPath(root, url), url).toEqual({ ok: true, path: join(root, 'outside.txt') });
    }
  });
});

describe('mimeTypeFor', () => {
  it('gives the built files their real types', () => {
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('assets/index-X4.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('assets/index.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('logo.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('font.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('unknown.bin')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler', () => {
  const get = (url: string, method = 'GET'): Promise<Response> =>
    createAppProtocolHandler(root)(new Request(url, { method }));

  it('serves index.html with the CSP header and its type', async () => {
    const response = await get(APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP_HEADER);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('<!doctype html><title>t</title>');
  });

  it('serves scripts and styles with their types; HEAD has no body', async () => {
    const js = await get(`${APP_ORIGIN}/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export {};');
    const head = await get(`${APP_ORIGIN}/assets/app.css`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('6');
    expect(await head.text()).toBe('');
  });

  it('answers 404/403/400/405 and never a byte from outside', async () => {
    expect((await get(`${APP_ORIGIN}/missing.js`)).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/assets`)).status).toBe(404);
    expect((await get(`${APP_ORIGIN}/..%2Foutside.txt`)).status).toBe(403);
    expect((await get(`${APP_ORIGIN}/..%5Coutside.txt`)).status).toBe(400);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const refused = await get(`${APP_ORIGIN}/..%2F..%2Foutside.txt`);
    expect(await refused.text()).not.toContain('secret');
    expect(refused.headers.get('content-security-policy')).toBe(CSP_HEADER);
  });

  it('refuses a symlink that points outside the folder', async (context) => {
    const response = await get(`${APP_ORIGIN}/assets/link.txt`);
    if (response.status === 404) context.skip();
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('secret');
  });
});
