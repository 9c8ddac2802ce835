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

type Generated = {
  [D in keyof Shape]: { [F in keyof Shape[D]]: Shape[D][F] extends Channel ? Fn<Shape[D][F]> : never };
};

export type Api = Omit<Generated, 'files'> & {
  files: Generated['files'] & {
    /**
     * A file dropped on the window, as a handle main gave for it. Takes the File itself, never a
     * path: the path is resolved on the far side of the bridge (the preload's webUtils, or browser
     * mode's upload) and goes only to main (docs/security.md#files).
     */
    fromDrop(file: File): Promise<ResponseOf<'files:fromDrop'>>;
  };
  events: Events;
};

/** Carries one request to main and brings back its envelope. */
export type Transport = (channel: Channel, request: unknown) => Promise<Envelope<unknown>>;

export interface TransportExtras {
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  /** The path main can read a dropped file at (Electron's webUtils; browser mode uploads it). */
  pathForFile(file: File): Promise<string>;
}

export function createApi(transport: Transport, extras: TransportExtras): Api {
  const api: Record<string, unknown> = {};
  for (const [domain, functions] of Object.entries(apiShape)) {
    const group: Record<string, (request?: unknown) => Promise<unknown>> = {};
    for (const [name, channel] of Object.entries(functions)) {
      group[name] = async (request?: unknown) => unwrap(await transport(channel, request));
    }
    if (domain === 'files') {
      group['fromDrop'] = async (file?: unknown) =>
        unwrap(await transport('files:fromDrop', { path: await extras.pathForFile(file as File) }));
    }
    api[domain] = Object.freeze(group);
  }
  const events: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const [name, event] of Object.entries(eventShape)) {
    events[name] = (listener) => extras.subscribe(event, listener);
  }
  api['events'] = Object.freeze(events);
  return Object.freeze(api) as unknown as Api;
}
