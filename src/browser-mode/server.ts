/**
 * Browser mode: the app for a machine with no Electron binary. Serves the BUILT renderer
 * (out/renderer) over http on 127.0.0.1 and answers its contract calls over a WebSocket on the same
 * origin with dispatch() and the real main-process services. Only the IPC transport is replaced;
 * validation, keychain, SignUp calls and the log are production code.
 *
 * Used by `npm run browser` (serve-app-main.ts, with the browser dialogs) and by the Playwright
 * fixtures (with dialogs the test scripts). Who may connect: access.ts; the socket: page-sockets.ts;
 * files handed over and back: uploads.ts, page-link.ts, run-folder.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch, type Handlers } from '../main/ipc/dispatch';
import type { DialogPort } from '../main/dialogs/dialog-port';
import type { SecretStore } from '../main/keychain/secret-store';
import { createAccess } from './access';
import { serveDownload } from './downloads';
import { createPageLink, type PageLink } from './page-link';
import { createPageSockets, DEFAULT_MAX_MESSAGE_BYTES } from './page-sockets';
import {
  DOWNLOAD_PATH,
  LINK_FRAGMENT_KEY,
  LINK_TOKEN_HEADER,
  SESSION_HEADER,
  SESSION_PATH,
  SOCKET_PATH,
  UPLOAD_PATH,
} from './protocol';
import { createRunFolder } from './run-folder';
import { loadStaticFiles } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, createUploads } from './uploads';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** What browser mode needs from the main-process services (a subset of createServices()'s result). */
export interface BrowserModeServices {
  handlers: Handlers;
  close(): void | Promise<void>;
}

export interface ServicesContext {
  home: string;
  secrets: SecretStore;
  dialogs: DialogPort;
  /** Sends a main → renderer push to every connected page. */
  push(event: string, payload: unknown): void;
}

export type ServicesFactory = (
  context: ServicesContext,
) => BrowserModeServices | Promise<BrowserModeServices>;

export interface BrowserModeOptions<D extends DialogPort> {
  /** The data folder (what SIGNUP_DESK_HOME points the app at). */
  home: string;
  /** The file dialogs the services get, built from the page link (browser-dialogs.ts) or scripted by a test. */
  dialogs: (page: PageLink) => D;
  /** The keychain; the real one (keytar) when absent. */
  secrets?: SecretStore;
  /** Builds the services; the app's createServices() when absent (see app-services.ts). */
  createServices?: ServicesFactory;
  /** The built renderer; out/renderer when absent. */
  rendererDir?: string;
  /** Port on 127.0.0.1; any free one when absent. */
  port?: number;
  /** Largest upload taken (413 beyond); 200 MiB when absent. */
  maxUploadBytes?: number;
  /** Largest WebSocket message taken (closed with 1009 beyond); 16 MiB when absent. */
  maxMessageBytes?: number;
  /** Where the private run folder is made (and stale ones removed); the system temp folder when absent. */
  tempRoot?: string;
  /** Called with the next one-time link each time one is used (a person may open another window). */
  onLinkUsed?(nextLink: string): void;
}

export interface BrowserModeServer<D extends DialogPort> {
  /** http://127.0.0.1:<port>/ — the page, which without a one-time link or a session can do nothing. */
  url: string;
  /** ws://127.0.0.1:<port>/__socket */
  wsUrl: string;
  /** The one-time link to open: http://127.0.0.1:<port>/#token=… (a new one after each use). */
  link(): string;
  home: string;
  /** The private folder uploads and downloads live in (removed on stop). */
  runFolder: string;
  /** Sends a main → renderer push ({ event, payload }) to every connected page. */
  push(event: string, payload: unknown): void;
  /** The file dialogs the services see. */
  dialogs: D;
  /** Closes the services and builds them again on the same data folder (the app "restarting"). */
  restartServices(): Promise<void>;
  stop(): Promise<void>;
}

/** Headers on every answer: no framing by another site (clickjacking), no sniffing, no Referer. */
const BASE_HEADERS = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

async function defaultFactory(): Promise<ServicesFactory> {
  const { appServices } = await import('./app-services');
  return appServices;
}

async function defaultSecrets(): Promise<SecretStore> {
  const { createKeytarSecretStore } = await import('../main/keychain/secret-store');
  return createKeytarSecretStore();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startBrowserMode<D extends DialogPort>(
  options: BrowserModeOptions<D>,
): Promise<BrowserModeServer<D>> {
  const files = await loadStaticFiles(resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR));
  const secrets = options.secrets ?? (await defaultSecrets());
  const factory = options.createServices ?? (await defaultFactory());
  const folder = await createRunFolder(options.tempRoot ?? tmpdir());
  const uploads = createUploads(folder, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  const pages = createPageLink(folder, uploads.owns);
  const dialogs = options.dialogs(pages.link);
  let port = 0;
  const access = createAccess(() => port);
  const origin = (): string => `http://127.0.0.1:${port}`;
  const link = (): string => `${origin()}/#${LINK_FRAGMENT_KEY}=${access.linkToken()}`;

  let services: BrowserModeServices | null = null;
  const sockets = createPageSockets({
    access,
    pages,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    dispatch: (channel, request) => {
      if (services === null) throw new Error('The services are restarting.');
      return dispatch(services.handlers, channel, request);
    },
  });
  // A dropped file reaches browser mode as an upload: the only paths a page may name are the
  // uploads main stored for it (docs/security.md#files), whatever the dialogs would answer.
  const serviceDialogs: DialogPort = {
    openCsv: () => dialogs.openCsv(),
    saveFile: (request) => dialogs.saveFile(request),
    confirmDrop: (path) => Promise.resolve(uploads.owns(path)),
  };
  const context: ServicesContext = {
    home: options.home,
    secrets,
    dialogs: serviceDialogs,
    push: sockets.push,
  };
  services = await factory(context);

  /** POSTs change state: Origin (and, but for the link exchange, the session) required. */
  const post = async (path: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!access.originAllowed(req.headers.origin)) return json(res, 403, { error: 'Forbidden' });
    if (path === SESSION_PATH) {
      const session = access.redeemLink(req.headers[LINK_TOKEN_HEADER] as string | undefined);
      if (session === null) return json(res, 403, { error: 'This link was used already, or is wrong.' });
      options.onLinkUsed?.(link());
      return json(res, 200, { session });
    }
    if (!access.isSession(req.headers[SESSION_HEADER] as string | undefined)) {
      return json(res, 403, { error: 'Forbidden' });
    }
    if (path === UPLOAD_PATH) {
      const result = await uploads.receive(req);
      if (result.ok) return json(res, 200, { path: result.path });
      res.setHeader('connection', 'close');
      return json(res, result.status, { error: result.message });
    }
    if (path === DOWNLOAD_PATH) return serveDownload(req, res, pages);
    json(res, 404, { error: 'Not found' });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
    if (!access.hostAllowed(req.headers.host)) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', origin()).pathname);
    } catch {
      res.writeHead(400).end('Bad request');
      return;
    }
    if (req.method === 'POST') return post(path, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    await files.serve(path, res);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(`Browser mode error: ${(error as Error).message}`);
    });
  });
  // Every socket gets an error listener: a reset mid-request must end that socket, not the process.
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', sockets.upgrade);

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${origin()}/`,
    wsUrl: `ws://127.0.0.1:${port}${SOCKET_PATH}`,
    link,
    home: options.home,
    runFolder: folder.path,
    push: sockets.push,
    dialogs,
    restartServices: async () => {
      sockets.closeAll(1012, 'Service restart');
      const old = services;
      services = null;
      await old?.close();
      services = await factory(context);
    },
    stop: async () => {
      sockets.closeAll(1001, 'Browser mode stopping');
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeAllConnections();
      await closed;
      await services?.close();
      await folder.remove();
    },
  };
}
