/**
 * The renderer-facing API: domain functions only, never a generic invoke(channel)
 * (never a generic invoke: docs/security.md#ipc). Preload builds it over ipcRenderer; the e2e harness builds the very
 * same object over its WebSocket transport, so the renderer cannot tell them apart.
 */
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './contract';
import { unwrap, type Envelope } from './envelope';

export const apiShape = {
  profiles: {
    list: 'profiles:list',
    save: 'profiles:save',
    delete: 'profiles:delete',
    setActive: 'profiles:setActive',
    setSecret: 'profiles:setSecret',
    removeSecret: 'profiles:removeSecret',
  },
  sandbox: { status: 'sandbox:status', start: 'sandbox:start' },
  signUp: { submit: 'signUp:submit' },
  log: { query: 'log:query', get: 'log:get', facets: 'log:facets', export: 'log:export' },
  files: { openCsv: 'files:openCsv' },
  import: {
    inspect: 'import:inspect',
    dryRun: 'import:dryRun',
    start: 'import:start',
    pause: 'import:pause',
    resume: 'import:resume',
    cancel: 'import:cancel',
    jobs: 'import:jobs',
    saveReport: 'import:saveReport',
    retryFailed: 'import:retryFailed',
  },
  seed: { preview: 'seed:preview', start: 'seed:start' },
} as const satisfies Record<string, Record<string, Channel>>;

/** Push events as subscription functions: `api.events.onImportProgress(listener) → unsubscribe`. */
export const eventShape = {
  onImportProgress: 'import:progress',
  onImportRow: 'import:row',
} as const satisfies Record<string, EventName>;

type Shape = typeof apiShape;
type Fn<C extends Channel> = [RequestOf<C>] extends [undefined]
  ? () => Promise<ResponseOf<C>>
  : (request: RequestOf<C>) => Promise<ResponseOf<C>>;

type Events = {
  [K in keyof typeof eventShape]: (
    listener: (payload: EventPayload<(typeof eventShape)[K]>) => void,
  ) => () => void;
};

export type Api = {
  [D in keyof Shape]: { [F in keyof Shape[D]]: Shape[D][F] extends Channel ? Fn<Shape[D][F]> : never };
} & {
  events: Events;
  /** The filesystem path of a file dropped on the window (Electron's webUtils; the harness uploads it). */
  pathForFile(file: File): Promise<string>;
};

/** Carries one request to main and brings back its envelope. */
export type Transport = (channel: Channel, request: unknown) => Promise<Envelope<unknown>>;

export interface TransportExtras {
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): Promise<string>;
}

export function createApi(transport: Transport, extras: TransportExtras): Api {
  const api: Record<string, unknown> = {};
  for (const [domain, functions] of Object.entries(apiShape)) {
    const group: Record<string, (request?: unknown) => Promise<unknown>> = {};
    for (const [name, channel] of Object.entries(functions)) {
      group[name] = async (request?: unknown) => unwrap(await transport(channel, request));
    }
    api[domain] = Object.freeze(group);
  }
  const events: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const [name, event] of Object.entries(eventShape)) {
    events[name] = (listener) => extras.subscribe(event, listener);
  }
  api['events'] = Object.freeze(events);
  api['pathForFile'] = (file: File) => extras.pathForFile(file);
  return Object.freeze(api) as unknown as Api;
}
