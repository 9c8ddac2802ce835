/**
 * The bench's side of proxy-process.ts: starts the fast Cognito proxy in its own process and talks
 * to it (fault plan, stats, SignUp arrival times as the proxy saw them).
 */
import type { ChildProcess } from 'node:child_process';
import type { ClientInfo, FaultOptions, FaultState, ProxyStats } from '../test/cognito/cognito-proxy';
import { forkTs } from './child';
import type { ProxyCommand, ProxyReady, ProxyReply } from './proxy-process';

export type ProxyTotals = Omit<ProxyStats, 'byUsername'> & { distinctUsernames: number };

export interface ProxyChild {
  endpoint: string;
  set(faults: FaultOptions): Promise<FaultState>;
  stats(): Promise<ProxyTotals>;
  /** Arrival times (ms, the proxy's own monotonic clock) of every SignUp request since the last reset. */
  arrivals(): Promise<number[]>;
  /** Clears the arrival times and the proxy's stats (fast-mode users are kept). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

export async function startProxyChild(clients: Record<string, ClientInfo>): Promise<ProxyChild> {
  const child: ChildProcess = forkTs(new URL('./proxy-process.ts', import.meta.url), [], {
    BENCH_PROXY_CLIENTS: JSON.stringify(clients),
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('The bench proxy did not start in time.'));
    }, START_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`The bench proxy exited with ${code} before it was ready.`)),
    );
    child.on('message', (raw) => {
      const ready = raw as Partial<ProxyReady>;
      if (ready.ready === true && typeof ready.endpoint === 'string') {
        clearTimeout(timer);
        resolve(ready.endpoint);
        return;
      }
      const reply = raw as ProxyReply;
      const waiter = pending.get(reply.id);
      if (waiter === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
  });
  child.on('exit', () => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error('The bench proxy exited.'));
    pending.clear();
  });

  const call = <T>(command: ProxyCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('The bench proxy has exited.'));
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ ...command, id });
    });

  return {
    endpoint,
    set: (faults) => call<FaultState>({ cmd: 'set', faults }),
    stats: () => call<ProxyTotals>({ cmd: 'stats' }),
    arrivals: () => call<number[]>({ cmd: 'arrivals' }),
    reset: () => call<null>({ cmd: 'reset' }).then(() => undefined),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call<null>({ cmd: 'stop' }).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
