/**
 * For browser mode's server tests: a server over a throwaway renderer and stand-in services, and a
 * client that behaves like the page (same-origin Origin header, the one-time link traded for a
 * session, the session as a WebSocket subprotocol) — or, with raw `net` sockets, like anything else.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { contract, type Channel } from '@shared/contract';
import type { Envelope } from '@shared/envelope';
import { AppError } from '../../src/main/errors';
import type { DialogPort } from '../../src/main/dialogs/dialog-port';
import type { Handlers } from '../../src/main/ipc/dispatch';
import type { SecretStore } from '../../src/main/keychain/secret-store';
import { LINK_TOKEN_HEADER, SESSION_PROTOCOL_PREFIX, SESSION_PATH } from '../../src/browser-mode/protocol';
import {
  startBrowserMode,
  type BrowserModeOptions,
  type BrowserModeServer,
  type ServicesContext,
} from '../../src/browser-mode/server';

const noSecrets: SecretStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.resolve(),
};

/**
 * Every channel answers InvalidRequest except: profiles:list (reports which build answered),
 * files:openCsv (asks the dialog port) and import:saveReport (asks where to save, writes there).
 */
function standInHandlers(generation: number, dialogs: DialogPort, report: string): Handlers {
  const handlers: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const channel of Object.keys(contract) as Channel[]) {
    handlers[channel] = () =>
      Promise.reject(new AppError('InvalidRequest', `${channel} is not in the stand-in`));
  }
  handlers['profiles:list'] = () =>
    Promise.resolve({ profiles: [], activeId: generation === 1 ? null : 'gen2' });
  handlers['files:openCsv'] = async () => {
    const path = await dialogs.openCsv();
    return path === null ? null : { path };
  };
  handlers['import:saveReport'] = async (request) => {
    const { jobId } = request as { jobId: string };
    if (jobId === 'fails') throw new AppError('NoReport', 'No report');
    const target = await dialogs.saveFile({ title: 'Save', defaultName: `report ${jobId}.csv`, filters: [] });
    if (target === null) return null;
    await copyFile(report, target);
    return { path: target };
  };
  return handlers as unknown as Handlers;
}

export interface TestServer<D extends DialogPort> {
  server: BrowserModeServer<D>;
  contexts: ServicesContext[];
  closedCount(): number;
  /** The Origin a page of this server sends. */
  origin: string;
  /** The report file import:saveReport copies. */
  reportContent: string;
  stop(): Promise<void>;
}

export async function startTestServer<D extends DialogPort>(
  dialogs: BrowserModeOptions<D>['dialogs'],
  options: Partial<Omit<BrowserModeOptions<D>, 'dialogs' | 'home'>> = {},
): Promise<TestServer<D>> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'browser-mode-renderer-'));
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body><script type="module" src="./assets/app.js"></script></body></html>',
  );
  await writeFile(join(rendererDir, 'plain.txt'), 'a renderer file');
  const reportContent = 'username,outcome\nann,created\n';
  const report = join(rendererDir, 'report.csv');
  await writeFile(report, reportContent);
  const contexts: ServicesContext[] = [];
  let closed = 0;
  const server = await startBrowserMode({
    home: '/tmp/browser-mode-home',
    secrets: noSecrets,
    rendererDir,
    dialogs,
    createServices: (context) => {
      contexts.push(context);
      return {
        handlers: standInHandlers(contexts.length, context.dialogs, report),
        close: () => void (closed += 1),
      };
    },
    ...options,
  });
  return {
    server,
    contexts,
    closedCount: () => closed,
    origin: server.url.replace(/\/$/, ''),
    reportContent,
    stop: async () => {
      await server.stop();
      await rm(rendererDir, { recursive: true, force: true });
    },
  };
}

/** Trades the server's current one-time link for a session, as the page's client does. */
export async function redeemLink(test: TestServer<DialogPort>, origin = test.origin): Promise<Response> {
  const token = new URL(test.server.link()).hash.replace(/^#token=/, '');
  return fetch(`${test.server.url}${SESSION_PATH.slice(1)}`, {
    method: 'POST',
    headers: { [LINK_TOKEN_HEADER]: token, origin },
  });
}

export async function newSession(test: TestServer<DialogPort>): Promise<string> {
  const response = await redeemLink(test);
  if (!response.ok) throw new Error(`No session: HTTP ${response.status}`);
  return ((await response.json()) as { session: string }).session;
}

export interface PageConnection {
  ws: WebSocket;
  messages: unknown[];
}

export function connectPage(
  url: string,
  options: { session: string; origin?: string | null },
): Promise<PageConnection> {
  return new Promise((resolve, reject) => {
    const origin =
      options.origin === undefined ? new URL(url).origin.replace('ws:', 'http:') : options.origin;
    const ws = new WebSocket(url, [SESSION_PROTOCOL_PREFIX + options.session], {
      ...(origin !== null && { origin }),
    });
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(Buffer.from(data as Buffer).toString('utf8'))));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export function call(
  ws: WebSocket,
  id: number,
  channel: string,
  request?: unknown,
): Promise<{ id: number; envelope: Envelope<unknown> }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as {
        id?: number;
        envelope: Envelope<unknown>;
      };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve({ id, envelope: message.envelope });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, request }));
  });
}

export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** A raw TCP connection to the server's port: what a hostile local process can send. */
export function rawSocket(httpUrl: string): Promise<Socket> {
  const { port } = new URL(httpUrl);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, or until `ms` pass. */
export function readAll(socket: Socket, ms = 2000): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', done);
    socket.on('error', () => undefined);
  });
}

/** A client → server WebSocket frame (masked, as RFC 6455 §5.3 requires of clients). */
export function clientFrame(opcode: number, payload: Buffer, claimedLength = payload.length): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  let header: Buffer;
  if (claimedLength < 126) header = Buffer.from([0x80 | opcode, 0x80 | claimedLength]);
  else if (claimedLength < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(claimedLength, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(BigInt(claimedLength), 2);
  }
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([header, mask, masked]);
}

/** The status code of the first close frame (opcode 8) a server → client byte stream holds, if any. */
export function closeFrameCode(bytes: Buffer): number | null {
  let offset = bytes.indexOf('\r\n\r\n');
  if (offset < 0) return null;
  offset += 4;
  while (offset + 2 <= bytes.length) {
    const opcode = (bytes[offset] ?? 0) & 0x0f;
    let length = (bytes[offset + 1] ?? 0) & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 8) return length >= 2 ? bytes.readUInt16BE(start) : null;
    offset = start + length;
  }
  return null;
}

/** An upgrade request as a browser sends it, for `rawSocket().write()`. */
export function upgradeRequest(options: {
  target: string;
  host: string;
  origin?: string;
  session?: string;
}): string {
  return [
    `GET ${options.target} HTTP/1.1`,
    `Host: ${options.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...(options.origin !== undefined ? [`Origin: ${options.origin}`] : []),
    ...(options.session !== undefined
      ? [`Sec-WebSocket-Protocol: ${SESSION_PROTOCOL_PREFIX}${options.session}`]
      : []),
    '',
    '',
  ].join('\r\n');
}
