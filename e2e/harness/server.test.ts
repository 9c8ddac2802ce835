/**
 * The harness's transport, over real HTTP and a real WebSocket (the `ws` client). The services are
 * a small stand-in built from the real contract and dispatch(): what is under test here is who may
 * connect and how requests, answers and pushes travel. The real services run behind it in the
 * Playwright specs (e2e/specs/harness-smoke.spec.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract, type Channel } from '@shared/contract';
import type { Envelope } from '@shared/envelope';
import { AppError } from '../../src/main/errors';
import type { Handlers } from '../../src/main/ipc/dispatch';
import type { SecretStore } from '../../src/main/keychain/secret-store';
import { TOKEN_PROTOCOL_PREFIX } from './protocol';
import { startHarness, type Harness, type ServicesContext } from './server';

const noSecrets: SecretStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.resolve(),
};

/** Every channel answers NotImplemented except profiles:list, which reports which build answered. */
function standInHandlers(generation: number): Handlers {
  const handlers: Record<string, () => Promise<unknown>> = {};
  for (const channel of Object.keys(contract) as Channel[]) {
    handlers[channel] = () =>
      Promise.reject(new AppError('NotImplemented', `${channel} is not in the stand-in`));
  }
  handlers['profiles:list'] = () =>
    Promise.resolve({ profiles: [], activeId: generation === 1 ? null : 'gen2' });
  return handlers as unknown as Handlers;
}

let rendererDir: string;
let harness: Harness;
let contexts: ServicesContext[];
let closed: number;

beforeEach(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'harness-renderer-'));
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body><script type="module" src="./assets/app.js"></script></body></html>',
  );
  await writeFile(join(rendererDir, 'plain.txt'), 'a renderer file');
  contexts = [];
  closed = 0;
  harness = await startHarness({
    home: '/tmp/harness-home',
    secrets: noSecrets,
    rendererDir: join(rendererDir),
    injectClientScript: true,
    createServices: (context) => {
      contexts.push(context);
      return { handlers: standInHandlers(contexts.length), close: () => void (closed += 1) };
    },
  });
});

afterEach(async () => {
  await harness.stop();
  await rm(rendererDir, { recursive: true, force: true });
});

function connect(
  options: { token?: string; origin?: string } = {},
): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(harness.wsUrl, [TOKEN_PROTOCOL_PREFIX + (options.token ?? harness.token)], {
      ...(options.origin !== undefined && { origin: options.origin }),
    });
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(
  ws: WebSocket,
  id: number,
  channel: string,
  request?: unknown,
): Promise<{ id: number; envelope: Envelope<unknown> }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as { id?: number; envelope: Envelope<unknown> };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve({ id, envelope: message.envelope });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, request }));
  });
}

describe('who may connect', () => {
  it('refuses a WebSocket without the per-run token', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket opened by a page of another origin', async () => {
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('accepts the token from its own origin', async () => {
    const { ws } = await connect({ origin: harness.url.replace(/\/$/, '') });
    ws.close();
  });
});

describe('requests, answers and pushes', () => {
  it('answers each {id, channel, request} with dispatch()’s envelope under the same id', async () => {
    const { ws } = await connect();
    const [list, bad, unknown] = await Promise.all([
      call(ws, 1, 'profiles:list'),
      call(ws, 2, 'profiles:setActive', { id: 42 }),
      call(ws, 3, 'nope:nothing', {}),
    ]);
    expect(list.envelope).toEqual({ ok: true, value: { profiles: [], activeId: null } });
    expect(bad.envelope).toMatchObject({
      ok: false,
      error: { name: 'InvalidRequest', fields: { id: expect.any(String) } },
    });
    expect(unknown.envelope).toMatchObject({ ok: false, error: { name: 'InvalidRequest' } });
    ws.close();
  });

  it('relays main → renderer pushes as {event, payload} to every page', async () => {
    const a = await connect();
    const b = await connect();
    contexts[0]?.push('import:progress', { jobId: 'j1', done: 3 });
    await expect
      .poll(() => [a.messages, b.messages])
      .toEqual([
        [{ event: 'import:progress', payload: { jobId: 'j1', done: 3 } }],
        [{ event: 'import:progress', payload: { jobId: 'j1', done: 3 } }],
      ]);
    a.ws.close();
    b.ws.close();
  });

  it('hands the services a dialog port whose answers the test sets', async () => {
    const dialogs = contexts[0]?.dialogs;
    expect(await dialogs?.openCsv()).toBeNull();
    harness.dialogs.setOpenResult('/tmp/picked.csv');
    harness.dialogs.setSaveResult('/tmp/report.csv');
    expect(await dialogs?.openCsv()).toBe('/tmp/picked.csv');
    expect(await dialogs?.saveFile({ title: 'Save report', defaultName: 'r.csv', filters: [] })).toBe(
      '/tmp/report.csv',
    );
    expect(harness.dialogs.requests().map((request) => request.kind)).toEqual([
      'openCsv',
      'openCsv',
      'saveFile',
    ]);
  });

  it('restarts the services on the same data folder and drops the old connections', async () => {
    const { ws } = await connect();
    const closedSocket = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await harness.restartServices();
    expect(await closedSocket).toBe(1012);
    expect(closed).toBe(1);
    expect(contexts.map((context) => context.home)).toEqual(['/tmp/harness-home', '/tmp/harness-home']);
    const again = await connect();
    expect((await call(again.ws, 1, 'profiles:list')).envelope).toEqual({
      ok: true,
      value: { profiles: [], activeId: 'gen2' },
    });
    again.ws.close();
  });
});

describe('serving the renderer', () => {
  it('serves index.html with the client script tag added, and the client with its config', async () => {
    const html = await (await fetch(harness.url)).text();
    expect(html).toContain('<script src="/harness-client.js"></script>');
    expect(html.indexOf('/harness-client.js')).toBeLessThan(html.indexOf('./assets/app.js'));
    const client = await (await fetch(`${harness.url}harness-client.js`)).text();
    expect(client).toContain(harness.token);
    expect(client).toContain('createApi');
  });

  it('does not hand the client (and its token) to another site', async () => {
    const response = await fetch(`${harness.url}harness-client.js`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(403);
  });

  it('answers only its own loopback host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(harness.url, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('stores an uploaded file (pathForFile) in its own folder and answers the path — with the token only', async () => {
    const { readFile } = await import('node:fs/promises');
    const refused = await fetch(`${harness.url}__upload`, { method: 'POST', body: 'a,b\n' });
    expect(refused.status).toBe(403);
    const response = await fetch(`${harness.url}__upload`, {
      method: 'POST',
      headers: {
        'x-signup-desk-token': harness.token,
        'x-signup-desk-file-name': encodeURIComponent('../../users 1.csv'),
      },
      body: 'username,email\nann,ann@example.com\n',
    });
    const { path } = (await response.json()) as { path: string };
    expect(path).toMatch(/signup-desk-harness-uploads-.*[\\/]users_1\.csv$/);
    expect(await readFile(path, 'utf8')).toBe('username,email\nann,ann@example.com\n');
  });

  it('serves files of the renderer folder only', async () => {
    expect((await fetch(`${harness.url}plain.txt`)).status).toBe(200);
    expect((await fetch(`${harness.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${harness.url}missing.js`)).status).toBe(404);
  });
});
