/**
 * The page side of browser mode: builds `window.api` with the same createApi() the preload uses,
 * over a WebSocket to the browser-mode server instead of Electron IPC — so the renderer cannot tell
 * the two apart. Bundled into one classic script by bundle-client.ts; the server adds it to
 * index.html ahead of the renderer's own scripts.
 */
import { createApi, type Transport } from '@shared/api';
import type { Envelope } from '@shared/envelope';
import {
  DOWNLOAD_PATH,
  FILE_NAME_HEADER,
  SESSION_HEADER,
  SESSION_PROTOCOL_PREFIX,
  SOCKET_PATH,
  UPLOAD_PATH,
  isDialogMessage,
  isDownloadMessage,
  type DialogAnswerMessage,
  type DialogMessage,
  type DownloadMessage,
  type EventMessage,
  type RequestMessage,
  type ResponseMessage,
} from '../protocol';
import { pickFile, saveBlob } from './file-dialogs';
import { obtainSession } from './session';

type Listener = (payload: unknown) => void;

const NO_SESSION_HINT =
  'Open the one-time link `npm run browser` printed (http://127.0.0.1:PORT/#token=…); each link works once, and the terminal shows the next one.';

function closedEnvelope(
  reason: string,
  hint = 'Reload the page; if browser mode was stopped, start it again.',
): Envelope<unknown> {
  return {
    ok: false,
    error: {
      name: 'TransportClosed',
      message: `The connection to the app's main process closed (${reason}).`,
      hint,
    },
  };
}

function connect(session: Promise<string | null>): {
  transport: Transport;
  subscribe(event: string, listener: Listener): () => void;
  pathForFile(file: File): Promise<string>;
} {
  let socket: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<Listener>>();

  const failPending = (reason: string): void => {
    for (const resolve of pending.values()) resolve(closedEnvelope(reason));
    pending.clear();
  };

  const pathForFile = async (file: File): Promise<string> => {
    const response = await fetch(UPLOAD_PATH, {
      method: 'POST',
      headers: {
        [SESSION_HEADER]: (await session) ?? '',
        [FILE_NAME_HEADER]: encodeURIComponent(file.name),
      },
      body: file,
    });
    const body = (await response.json().catch(() => ({}))) as { path?: string; error?: string };
    if (!response.ok || body.path === undefined) {
      throw new Error(body.error ?? `Browser mode did not take the file (HTTP ${response.status}).`);
    }
    return body.path;
  };

  const answerDialog = async (ws: WebSocket, { dialog }: DialogMessage): Promise<void> => {
    const answer: DialogAnswerMessage['dialogAnswer'] = { id: dialog.id, path: null };
    try {
      const file = await pickFile(dialog.accept);
      if (file !== null) answer.path = await pathForFile(file);
    } catch (error) {
      answer.error = (error as Error).message;
    }
    ws.send(JSON.stringify({ dialogAnswer: answer } satisfies DialogAnswerMessage));
  };

  const download = async ({ download: { id, name } }: DownloadMessage): Promise<void> => {
    const response = await fetch(DOWNLOAD_PATH, {
      method: 'POST',
      headers: { [SESSION_HEADER]: (await session) ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    if (response.ok) saveBlob(await response.blob(), name);
  };

  const onMessage = (ws: WebSocket, message: unknown): void => {
    if (isDialogMessage(message)) return void answerDialog(ws, message);
    if (isDownloadMessage(message)) return void download(message).catch(() => undefined);
    const { event, payload, id, envelope } = message as Partial<ResponseMessage & EventMessage>;
    if (typeof event === 'string') {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    } else if (typeof id === 'number' && envelope !== undefined) {
      pending.get(id)?.(envelope);
      pending.delete(id);
    }
  };

  const open = (): Promise<WebSocket> => {
    socket ??= session.then((token) => {
      if (token === null) throw new Error('no session');
      return new Promise<WebSocket>((resolve, reject) => {
        const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SOCKET_PATH}`;
        const ws = new WebSocket(url, [SESSION_PROTOCOL_PREFIX + token]);
        ws.addEventListener('open', () => resolve(ws));
        ws.addEventListener('message', (event: MessageEvent) =>
          onMessage(ws, JSON.parse(String(event.data))),
        );
        ws.addEventListener('close', (event) => {
          socket = null; // the next call reconnects (the services may have restarted)
          failPending(event.reason || `code ${event.code}`);
          reject(new Error('closed'));
        });
      });
    });
    return socket;
  };

  const transport: Transport = async (channel, request) => {
    let ws: WebSocket;
    try {
      ws = await open();
    } catch (error) {
      socket = null;
      return (error as Error).message === 'no session'
        ? closedEnvelope('this page has no session', NO_SESSION_HINT)
        : closedEnvelope('could not connect');
    }
    const id = nextId++;
    const message: RequestMessage = { id, channel, request };
    return new Promise<Envelope<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify(message));
    });
  };

  const subscribe = (event: string, listener: Listener): (() => void) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    // Connect now so pushes arrive even before the first request.
    void open().catch(() => undefined);
    return () => set.delete(listener);
  };

  return { transport, subscribe, pathForFile };
}

// Runs on load, before the renderer's scripts: they find window.api as the preload would leave it.
const connection = connect(obtainSession());
Object.defineProperty(globalThis, 'api', {
  value: createApi(connection.transport, {
    subscribe: connection.subscribe,
    pathForFile: connection.pathForFile,
  }),
  writable: false,
  configurable: false,
});
