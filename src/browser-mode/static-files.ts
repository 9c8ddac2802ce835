/**
 * GET: the built renderer (out/renderer) and the page's client script. Nothing served here is
 * secret — the access token never is (access.ts) — so GETs need only the Host check.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { clientScript } from './bundle-client';
import { CLIENT_PATH } from './protocol';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Adds the client script before the page's own scripts (classic scripts run before modules). */
function injectClient(html: string): string {
  const tag = `<script src="${CLIENT_PATH}"></script>`;
  return html.includes('</head>') ? html.replace('</head>', `    ${tag}\n  </head>`) : tag + html;
}

export interface StaticFiles {
  serve(path: string, res: ServerResponse): Promise<void>;
}

export async function loadStaticFiles(rendererDir: string): Promise<StaticFiles> {
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `No built renderer at ${rendererDir}. Run \`npx electron-vite build\` first (it writes out/renderer).`,
    );
  });
  const page = injectClient(indexHtml);
  return {
    serve: async (path, res) => {
      if (path === CLIENT_PATH) {
        res.writeHead(200, { 'content-type': CONTENT_TYPES['.js'] }).end(await clientScript());
        return;
      }
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-store' }).end(page);
        return;
      }
      const file = normalize(join(rendererDir, path));
      if (!file.startsWith(rendererDir + sep)) {
        res.writeHead(404).end('Not found');
        return;
      }
      try {
        const body = await readFile(file);
        res
          .writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body);
      } catch {
        // Browsers ask for a favicon the renderer does not ship; a 404 would be console noise.
        res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      }
    },
  };
}
