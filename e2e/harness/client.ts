/**
 * The browser side of the harness: builds `window.api` with the same createApi() the preload uses,
 * over a WebSocket to the harness server instead of Electron IPC — so the renderer cannot tell the
 * two apart (DESIGN.md "Testing without an Electron binary"). Bundled into one IIFE by
 * bundle-client.ts and run before the page's own scripts (Playwright's addInitScript, or a
 * <script src="/harness-client.js"> the server adds for `npm run browser`).
 */
import { createApi, type Transport } from '@shared/api';
import type { Envelope } from '@shared/envelope';
import {
  CONFIG_GLOBAL,
  FILE_NAME_HEADER,
  TOKEN_HEADER,
  TOKEN_PROTOCOL_PREFIX,
  UPLOAD_PATH,
  type EventMessage,
  type HarnessConfig,
  type RequestMessage,
  type ResponseMessage,
} from './protocol';

type Listener = (payload: unknown) => void;

export interface HarnessConnection {
  transport: Transport;
  /** Listens to a main → renderer push; returns the unsubscribe function. */
  subscribe(event: string, listener: Listener): () => void;
  /**
   * A browser File has no path on disk (Electron's webUtils.getPathForFile gives one): the file is
   * uploaded to the harness, which stores it in its own temp folder and answers that path.
   */
  pathForFile(file: File): Promise<string>;
}

function closedEnvelope(reason: string): Envelope<unknown> {
  return {
    ok: false,
    error: {
      name: 'TransportClosed',
      message: `The connection to the app's main process closed (${reason}).`,
      hint: 'Reload the page; if the harness was stopped, start it again.',
    },
  };
}

export function connectHarness(config: HarnessConfig): HarnessConnection {
  let socket: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<Listener>>();

  const failPending = (reason: string): void => {
    for (const resolve of pending.values()) resolve(closedEnvelope(reason));
    pending.clear();
  };

  const open = (): Promise<WebSocket> => {
    socket ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(config.url, [TOKEN_PROTOCOL_PREFIX + config.token]);
      ws.addEventListener('open', () => resolve(ws));
      ws.addEventListener('message', (event: { data: unknown }) => {
        const message = JSON.parse(String(event.data)) as Partial<ResponseMessage & EventMessage>;
        if (typeof message.event === 'string') {
          for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
        } else if (typeof message.id === 'number' && message.envelope !== undefined) {
          pending.get(message.id)?.(message.envelope);
          pending.delete(message.id);
        }
      });
      ws.addEventListener('close', (event) => {
        socket = null; // the next call reconnects (the harness may have restarted its services)
        failPending(event.reason || `code ${event.code}`);
        reject(new Error('closed'));
      });
    });
    return socket;
  };

  const transport: Transport = async (channel, request) => {
    let ws: WebSocket;
    try {
      ws = await open();
    } catch {
      return closedEnvelope('could not connect');
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

  const pathForFile = async (file: File): Promise<string> => {
    const response = await fetch(UPLOAD_PATH, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: config.token, [FILE_NAME_HEADER]: encodeURIComponent(file.name) },
      body: file,
    });
    if (!response.ok) throw new Error(`The harness did not take the file (HTTP ${response.status}).`);
    return ((await response.json()) as { path: string }).path;
  };

  return { transport, subscribe, pathForFile };
}

// Runs on load: the init script (or the served file) set the config just before this.
const config = (globalThis as Record<string, unknown>)[CONFIG_GLOBAL] as HarnessConfig | undefined;
if (config !== undefined) {
  const connection = connectHarness(config);
  // Pushes ({ event, payload }) reach api.events.on…(listener) as ipcRenderer.on does in preload.
  Object.defineProperty(globalThis, 'api', {
    value: createApi(connection.transport, {
      subscribe: connection.subscribe,
      pathForFile: connection.pathForFile,
    }),
    writable: false,
    configurable: false,
  });
}
