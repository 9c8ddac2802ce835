/**
 * The WebSocket side of browser mode: accepts an upgrade only when access.ts says so, then carries
 * contract calls, pushes and dialog answers. A bad frame or message closes that one socket with the
 * RFC 6455 §7.4.1 status code for it — never the process:
 *   1003 binary frame (only JSON text is spoken here)       1007 text that is not UTF-8
 *   1008 anything else that is not one of our messages      1009 a message over maxPayload
 *   1001 server stopping                                    1012 services restarting
 * https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Access } from './access';
import type { PageLinkHost } from './page-link';
import {
  SESSION_PROTOCOL_PREFIX,
  SOCKET_PATH,
  isDialogAnswerMessage,
  isRequestMessage,
  type EventMessage,
  type ResponseMessage,
} from './protocol';
import type { Envelope } from '@shared/envelope';

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface PageSockets {
  /** The http server's 'upgrade' listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  push(event: string, payload: unknown): void;
  closeAll(code: number, reason: string): void;
}

export interface PageSocketsOptions {
  access: Access;
  pages: PageLinkHost;
  maxMessageBytes: number;
  /** Answers one contract call (dispatch() with the current services). */
  dispatch(channel: string, request: unknown): Promise<Envelope<unknown>>;
}

/** Writes a plain HTTP refusal on a socket that has not become a WebSocket, then drops it. */
function refuse(socket: Duplex, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

function sessionOf(req: IncomingMessage): string | undefined {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',');
  const protocol = offered.map((p) => p.trim()).find((p) => p.startsWith(SESSION_PROTOCOL_PREFIX));
  return protocol?.slice(SESSION_PROTOCOL_PREFIX.length);
}

export function createPageSockets(options: PageSocketsOptions): PageSockets {
  const { access, pages } = options;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    // Echo the session subprotocol the page offered (upgrade() has checked it), as RFC 6455 §4.2.2 asks.
    handleProtocols: (protocols) =>
      [...protocols].find((p) => p.startsWith(SESSION_PROTOCOL_PREFIX)) ?? false,
  });
  wss.on('error', () => undefined);

  const onMessage = (ws: WebSocket, data: Buffer, isBinary: boolean): void => {
    if (isBinary) {
      ws.close(1003, 'Text frames only');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      message = null;
    }
    if (isDialogAnswerMessage(message)) {
      if (!pages.answer(ws, message)) ws.close(1008, 'Not an open dialog, or not an uploaded file');
      return;
    }
    if (!isRequestMessage(message)) {
      ws.close(1008, 'Expected {id, channel, request}');
      return;
    }
    // Each call is independent, as with ipcMain.handle: answered in completion order.
    const { id, channel, request } = message;
    void pages
      .runCall(ws, () => options.dispatch(channel, request))
      .catch((error: unknown): Envelope<unknown> => ({
        ok: false,
        error: { name: 'InternalError', message: (error as Error).message },
      }))
      .then((envelope) => {
        const response: ResponseMessage = { id, envelope };
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      });
  };

  const accept = (ws: WebSocket): void => {
    sockets.add(ws);
    // ws closes the socket with 1007 or 1009 itself and then reports the error here; without a
    // listener, EventEmitter would throw it and end the process.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      sockets.delete(ws);
      pages.closed(ws);
    });
    ws.on('message', (data: Buffer, isBinary) => onMessage(ws, data, isBinary));
  };

  return {
    upgrade: (req, socket, head) => {
      // Node takes its own error listener off an upgraded socket: a reset from here on would be
      // an unhandled 'error' event. https://nodejs.org/api/http.html#event-upgrade
      socket.on('error', () => socket.destroy());
      let path: string;
      try {
        path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      } catch {
        refuse(socket, '400 Bad Request');
        return;
      }
      if (path !== SOCKET_PATH) return refuse(socket, '404 Not Found');
      if (!access.hostAllowed(req.headers.host)) return refuse(socket, '421 Misdirected Request');
      if (!access.originAllowed(req.headers.origin) || !access.isSession(sessionOf(req))) {
        return refuse(socket, '403 Forbidden');
      }
      wss.handleUpgrade(req, socket, head, accept);
    },
    push: (event, payload) => {
      const message: EventMessage = { event, payload };
      const text = JSON.stringify(message);
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    closeAll: (code, reason) => {
      for (const ws of sockets) ws.close(code, reason);
      sockets.clear();
    },
  };
}
