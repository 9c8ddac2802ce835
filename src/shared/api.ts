/**
 * The renderer-facing API: domain functions only, never a generic invoke(channel)
 * (DESIGN.md practice 2). Preload builds it over ipcRenderer; the e2e harness builds the very
 * same object over its WebSocket transport, so the renderer cannot tell them apart.
 */
import type { Channel, RequestOf, ResponseOf } from './contract';
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
  log: { query: 'log:query', get: 'log:get' },
} as const satisfies Record<string, Record<string, Channel>>;

type Shape = typeof apiShape;
type Fn<C extends Channel> = [RequestOf<C>] extends [undefined]
  ? () => Promise<ResponseOf<C>>
  : (request: RequestOf<C>) => Promise<ResponseOf<C>>;

export type Api = {
  [D in keyof Shape]: { [F in keyof Shape[D]]: Shape[D][F] extends Channel ? Fn<Shape[D][F]> : never };
};

/** Carries one request to main and brings back its envelope. */
export type Transport = (channel: Channel, request: unknown) => Promise<Envelope<unknown>>;

export function createApi(transport: Transport): Api {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const [domain, functions] of Object.entries(apiShape)) {
    const group: Record<string, (request?: unknown) => Promise<unknown>> = {};
    for (const [name, channel] of Object.entries(functions)) {
      group[name] = async (request?: unknown) => unwrap(await transport(channel, request));
    }
    api[domain] = Object.freeze(group);
  }
  return Object.freeze(api) as unknown as Api;
}
