/**
 * Child-process entry: the e2e Cognito proxy (test/cognito/cognito-proxy.ts) in fast in-memory mode,
 * without cognito-local (which slows down as a pool grows), on its own process so its CPU is not
 * counted against the client being measured. It also records when each SignUp request arrives —
 * from Node's `http.server.request.start` diagnostics channel, i.e. when this server sees the
 * request, not what the client believes it sent: https://nodejs.org/api/diagnostics_channel.html#http
 *
 * Driven over the fork IPC channel by proxy-child.ts (messages: ProxyRequest → ProxyReply).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startCognitoProxy, type ClientInfo, type FaultOptions } from '../test/cognito/cognito-proxy';

export type ProxyCommand =
  | { cmd: 'set'; faults: FaultOptions }
  | { cmd: 'stats' }
  | { cmd: 'arrivals' }
  | { cmd: 'reset' }
  | { cmd: 'stop' };
export type ProxyRequest = ProxyCommand & { id: number };
export type ProxyReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type ProxyReady = { ready: true; endpoint: string };

const SIGNUP_TARGET = 'AWSCognitoIdentityProviderService.SignUp';

const clients = JSON.parse(process.env['BENCH_PROXY_CLIENTS'] ?? '{}') as Record<string, ClientInfo>;
const proxy = await startCognitoProxy({ upstream: null, faults: { fast: true }, clients });

/** performance.now() of every SignUp request's arrival, in arrival order. */
let arrivals: number[] = [];
subscribe('http.server.request.start', (message) => {
  const request = (message as { request: IncomingMessage }).request;
  if (request.headers['x-amz-target'] === SIGNUP_TARGET) arrivals.push(performance.now());
});

const answer = async (command: ProxyCommand): Promise<unknown> => {
  switch (command.cmd) {
    case 'set':
      return proxy.control.set(command.faults);
    case 'stats': {
      // byUsername grows with every row: the bench only needs the totals.
      const { byUsername: _byUsername, ...totals } = proxy.stats();
      return { ...totals, distinctUsernames: Object.keys(_byUsername).length };
    }
    case 'arrivals':
      return arrivals;
    case 'reset':
      arrivals = [];
      proxy.control.resetStats();
      return null;
    case 'stop':
      await proxy.stop();
      setImmediate(() => process.exit(0));
      return null;
  }
};

process.on('message', (raw) => {
  const request = raw as ProxyRequest;
  answer(request).then(
    (value) => process.send?.({ id: request.id, ok: true, value } satisfies ProxyReply),
    (error: unknown) =>
      process.send?.({ id: request.id, ok: false, error: String(error) } satisfies ProxyReply),
  );
});
// The parent went away: do not linger holding a port.
process.on('disconnect', () => {
  void proxy.stop().finally(() => process.exit(0));
});

process.send?.({ ready: true, endpoint: proxy.endpoint } satisfies ProxyReady);
