/**
 * Browser mode's transport and access rules, over real HTTP and a real WebSocket (the `ws` client).
 * The services are a small stand-in built from the real contract and dispatch(): what is under
 * test here is who may connect and how requests, answers and pushes travel. The real services run
 * behind it in the Playwright specs (e2e/specs/harness-smoke.spec.ts).
 */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  call,
  closeCode,
  connectPage,
  newSession,
  redeemLink,
  startTestServer,
  type TestServer,
} from '../../test/support/browser-mode-client';
import { createScriptedDialogs, type ScriptedDialogs } from '../../test/support/scripted-dialogs';

let test: TestServer<ScriptedDialogs>;

beforeEach(async () => {
  const scripted = createScriptedDialogs();
  test = await startTestServer(() => scripted);
});

afterEach(async () => {
  await test.stop();
});

const connect = async (options: { origin?: string | null } = {}): ReturnType<typeof connectPage> =>
  connectPage(test.server.wsUrl, { session: await newSession(test), ...options });

function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may connect', () => {
  it('never serves the token: not in the page, not in the client script, whatever the headers', async () => {
    const link = new URL(test.server.link());
    const token = link.hash.replace(/^#token=/, '');
    expect(link.origin + '/').toBe(test.server.url);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const html = await (await fetch(test.server.url)).text();
    const client = await (await fetch(`${test.server.url}browser-mode-client.js`)).text();
    expect(client).toContain('createApi');
    for (const body of [html, client]) expect(body).not.toContain(token);
  });

  it('trades the one-time link for a session once; the next link is a new one', async () => {
    const first = test.server.link();
    const response = await redeemLink(test);
    expect(response.status).toBe(200);
    const second = test.server.link();
    expect(second).not.toBe(first);
    const replay = await fetch(`${test.server.url}__session`, {
      method: 'POST',
      headers: { 'x-signup-desk-link-token': first.split('#token=')[1] ?? '', origin: test.origin },
    });
    expect(replay.status).toBe(403);
  });

  it('does not trade the link without the page’s Origin', async () => {
    expect((await redeemLink(test, 'http://evil.example')).status).toBe(403);
    const token = new URL(test.server.link()).hash.replace(/^#token=/, '');
    const noOrigin = await fetch(`${test.server.url}__session`, {
      method: 'POST',
      headers: { 'x-signup-desk-link-token': token },
    });
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a WebSocket without a session', async () => {
    await expect(connectPage(test.server.wsUrl, { session: 'wrong' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket with the session but no Origin (not a browser page)', async () => {
    await expect(connect({ origin: null })).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket opened by a page of another origin', async () => {
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const otherPort = test.origin.replace(/:\d+$/, ':1');
    await expect(connect({ origin: otherPort })).rejects.toThrow('HTTP 403');
  });

  it('accepts the session from its own origin, by 127.0.0.1 or localhost', async () => {
    const a = await connect({ origin: test.origin });
    const b = await connect({ origin: test.origin.replace('127.0.0.1', 'localhost') });
    a.ws.close();
    b.ws.close();
  });

  it('answers only its own loopback host name (DNS rebinding)', async () => {
    expect(await statusWithHost(test.server.url, 'attacker.example')).toBe(421);
    expect(await statusWithHost(test.server.url, `localhost:${new URL(test.server.url).port}`)).toBe(200);
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
    test.contexts[0]?.push('import:progress', { jobId: 'j1', done: 3 });
    await expect
      .poll(() => [a.messages, b.messages])
      .toEqual([
        [{ event: 'import:progress', payload: { jobId: 'j1', done: 3 } }],
        [{ event: 'import:progress', payload: { jobId: 'j1', done: 3 } }],
      ]);
    a.ws.close();
    b.ws.close();
  });

  it('hands the services the dialog port its caller built; drops are its own uploads only', async () => {
    const dialogs = test.contexts[0]?.dialogs;
    test.server.dialogs.setOpenResult('/tmp/picked.csv');
    test.server.dialogs.setDropAnswer(true);
    expect(await dialogs?.openCsv()).toBe('/tmp/picked.csv');
    expect(await dialogs?.confirmDrop('/tmp/picked.csv')).toBe(false);
    expect(test.server.dialogs.requests().map((r) => r.kind)).toEqual(['openCsv']);
  });

  it('restarts the services on the same data folder and drops the old connections', async () => {
    const { ws } = await connect();
    const closed = closeCode(ws);
    await test.server.restartServices();
    expect(await closed).toBe(1012);
    expect(test.closedCount()).toBe(1);
    expect(test.contexts.map((context) => context.home)).toEqual([
      '/tmp/browser-mode-home',
      '/tmp/browser-mode-home',
    ]);
    const again = await connect();
    expect((await call(again.ws, 1, 'profiles:list')).envelope).toEqual({
      ok: true,
      value: { profiles: [], activeId: 'gen2' },
    });
    again.ws.close();
  });
});

describe('serving the renderer', () => {
  it('serves index.html with the client script tag ahead of the page’s own scripts', async () => {
    const html = await (await fetch(test.server.url)).text();
    expect(html).toContain('<script src="/browser-mode-client.js"></script>');
    expect(html.indexOf('/browser-mode-client.js')).toBeLessThan(html.indexOf('./assets/app.js'));
  });

  it('forbids framing by other sites (clickjacking)', async () => {
    const response = await fetch(test.server.url);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('serves files of the renderer folder only', async () => {
    expect((await fetch(`${test.server.url}plain.txt`)).status).toBe(200);
    expect((await fetch(`${test.server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${test.server.url}missing.js`)).status).toBe(404);
  });
});
