/**
 * The transport-swapping harness (DESIGN.md "Testing without an Electron binary"): serves the
 * BUILT renderer (out/renderer) over http on 127.0.0.1 and answers its contract calls over a
 * WebSocket on the same origin with dispatch() and the real main-process services. Only the IPC
 * transport is replaced; validation, keychain, SignUp calls and the log are production code.
 *
 * Who may connect: a WebSocket must carry the per-run token (as a subprotocol), a loopback Host
 * header (against DNS rebinding) and, when a browser sends one, this server's own Origin (a page on
 * another site can open ws://127.0.0.1 too, but cannot fake its Origin).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers } from '../../src/main/ipc/dispatch';
import type { DialogPort } from '../../src/main/dialogs/dialog-port';
import type { SecretStore } from '../../src/main/keychain/secret-store';
import { createScriptedDialogs, type ScriptedDialogs } from './scripted-dialogs';
import { clientScript } from './bundle-client';
import {
  CONFIG_GLOBAL,
  FILE_NAME_HEADER,
  TOKEN_HEADER,
  TOKEN_PROTOCOL_PREFIX,
  UPLOAD_PATH,
  isRequestMessage,
  type EventMessage,
  type HarnessConfig,
  type ResponseMessage,
} from './protocol';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** What the harness needs from the main-process services (a subset of createServices()'s result). */
export interface HarnessServices {
  handlers: Handlers;
  close(): void | Promise<void>;
}

export interface ServicesContext {
  home: string;
  secrets: SecretStore;
  /** File dialogs answered by the test (Harness.dialogs). */
  dialogs: DialogPort;
  /** Sends a main → renderer push to every connected page. */
  push(event: string, payload: unknown): void;
}

export type ServicesFactory = (context: ServicesContext) => HarnessServices | Promise<HarnessServices>;

export interface HarnessOptions {
  /** The data folder (what SIGNUP_DESK_HOME points the app at). */
  home: string;
  /** The keychain; the real one (keytar) when absent. */
  secrets?: SecretStore;
  /** Builds the services; the app's createServices() when absent (see app-services.ts). */
  createServices?: ServicesFactory;
  /** The built renderer; out/renderer when absent. */
  rendererDir?: string;
  /**
   * Add `<script src="/harness-client.js">` to index.html, for a person's browser (serve-app.ts).
   * Playwright runs use `initScript()` with page.addInitScript instead.
   */
  injectClientScript?: boolean;
  /** Port on 127.0.0.1; any free one when absent. */
  port?: number;
}

export interface Harness {
  /** The page to open: http://127.0.0.1:<port>/ */
  url: string;
  /** ws://127.0.0.1:<port>/__harness */
  wsUrl: string;
  /** The per-run token a WebSocket must present. */
  token: string;
  home: string;
  /** The script for `page.addInitScript({ content })`: sets the config, then defines window.api. */
  initScript(): Promise<string>;
  /** Sends a main → renderer push ({ event, payload }) to every connected page. */
  push(event: string, payload: unknown): void;
  /** The file dialogs the services see: set what they answer, read what was asked. */
  dialogs: ScriptedDialogs;
  /** Closes the services and builds them again on the same data folder (the app "restarting"). */
  restartServices(): Promise<void>;
  stop(): Promise<void>;
}

const WS_PATH = '/__harness';
const CLIENT_PATH = '/harness-client.js';

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

async function defaultFactory(): Promise<ServicesFactory> {
  const { appServices } = await import('./app-services');
  return appServices;
}

async function defaultSecrets(): Promise<SecretStore> {
  const { createKeytarSecretStore } = await import('../../src/main/keychain/secret-store');
  return createKeytarSecretStore();
}

function configScript(config: HarnessConfig): string {
  return `globalThis[${JSON.stringify(CONFIG_GLOBAL)}] = ${JSON.stringify(config)};\n`;
}

/** Adds the client script before the page's own scripts (classic scripts run before modules). */
function injectClient(html: string): string {
  const tag = `<script src="${CLIENT_PATH}"></script>`;
  return html.includes('</head>') ? html.replace('</head>', `    ${tag}\n  </head>`) : tag + html;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `No built renderer at ${rendererDir}. Run \`npx electron-vite build\` first (it writes out/renderer).`,
    );
  });
  const secrets = options.secrets ?? (await defaultSecrets());
  const factory = options.createServices ?? (await defaultFactory());
  const token = randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();

  const push = (event: string, payload: unknown): void => {
    const message: EventMessage = { event, payload };
    const text = JSON.stringify(message);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };

  const dialogs = createScriptedDialogs();
  let services: HarnessServices = await factory({ home: options.home, secrets, dialogs, push });
  /** Where files picked or dropped in the page land (pathForFile); removed on stop(). */
  const uploads = await mkdtemp(join(tmpdir(), 'signup-desk-harness-uploads-'));
  let uploadCount = 0;
  let port = 0;
  const origin = (): string => `http://127.0.0.1:${port}`;
  const hostAllowed = (host: string | undefined): boolean =>
    host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const serveFile = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', origin()).pathname);
    if (path === UPLOAD_PATH && req.method === 'POST') {
      const site = req.headers['sec-fetch-site'];
      const sameSite = site === undefined || site === 'same-origin';
      if (req.headers[TOKEN_HEADER] !== token || !sameSite) {
        res.writeHead(403).end('Forbidden');
        return;
      }
      const rawName = decodeURIComponent(String(req.headers[FILE_NAME_HEADER] ?? ''));
      const name = basename(rawName).replace(/[^\w.-]+/g, '_') || 'upload';
      uploadCount += 1;
      const folder = join(uploads, String(uploadCount));
      await mkdir(folder);
      const file = join(folder, name);
      await pipeline(req, createWriteStream(file, { mode: 0o600 }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: file }));
      return;
    }
    if (path === CLIENT_PATH) {
      // Only for our own pages: another site could include it with <script src> and learn the token.
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') {
        res.writeHead(403).end('Forbidden');
        return;
      }
      const script =
        configScript({ url: `ws://127.0.0.1:${port}${WS_PATH}`, token }) + (await clientScript());
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.js'], 'cache-control': 'no-store' }).end(script);
      return;
    }
    if (path === '/' || path === '/index.html') {
      const html = options.injectClientScript === true ? injectClient(indexHtml) : indexHtml;
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-store' }).end(html);
      return;
    }
    const file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir + sep)) {
      res.writeHead(404).end('Not found');
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      // Browsers ask for a favicon the renderer does not ship; a 404 would be console noise.
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    }
  };

  const server = createServer((req, res) => {
    serveFile(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(`Harness error: ${(error as Error).message}`);
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024 * 1024,
    handleProtocols: (protocols) => {
      for (const protocol of protocols) if (protocol === TOKEN_PROTOCOL_PREFIX + token) return protocol;
      return false;
    },
  });

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', origin()).pathname;
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const originOk = req.headers.origin === undefined || req.headers.origin === origin();
    if (
      path !== WS_PATH ||
      !hostAllowed(req.headers.host) ||
      !originOk ||
      !offered.includes(TOKEN_PROTOCOL_PREFIX + token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          message = null;
        }
        if (!isRequestMessage(message)) {
          ws.close(1003, 'Expected {id, channel, request}');
          return;
        }
        // Each call is independent, as with ipcMain.handle: answer in completion order.
        void dispatch(services.handlers, message.channel, message.request).then((envelope) => {
          const response: ResponseMessage = { id: message.id, envelope };
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
        });
      });
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  const closeSockets = (code: number, reason: string): void => {
    for (const socket of sockets) socket.close(code, reason);
    sockets.clear();
  };

  return {
    url: `${origin()}/`,
    wsUrl: `ws://127.0.0.1:${port}${WS_PATH}`,
    token,
    home: options.home,
    initScript: async () =>
      configScript({ url: `ws://127.0.0.1:${port}${WS_PATH}`, token }) + (await clientScript()),
    push,
    dialogs,
    restartServices: async () => {
      closeSockets(1012, 'Service restart');
      await services.close();
      services = await factory({ home: options.home, secrets, dialogs, push });
    },
    stop: async () => {
      closeSockets(1001, 'Harness stopping');
      wss.close();
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeAllConnections();
      await closed;
      await services.close();
      await rm(uploads, { recursive: true, force: true });
    },
  };
}
