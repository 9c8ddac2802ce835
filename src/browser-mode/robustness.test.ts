/**
 * One bad request must cost one socket, never the process: each of these used to end it (an
 * unhandled 'error' event or a throw in the 'upgrade' listener). Raw `net` sockets, because a
 * well-behaved client cannot send most of them. After each, the server must still answer a page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  call,
  clientFrame,
  closeCode,
  closeFrameCode,
  connectPage,
  newSession,
  rawSocket,
  readAll,
  startTestServer,
  upgradeRequest,
  type TestServer,
} from '../../test/support/browser-mode-client';
import { createScriptedDialogs, type ScriptedDialogs } from '../../test/support/scripted-dialogs';

const MAX_MESSAGE_BYTES = 64 * 1024;
let test: TestServer<ScriptedDialogs>;
let host: string;
/**
 * What would have ended `npm run browser`: an 'error' event nobody listens to, or a throw in a
 * listener, surfaces as an uncaught exception (vitest would only report it after the run).
 */
const crashes: string[] = [];
const recordCrash = (error: unknown): void => void crashes.push(String(error));

beforeEach(async () => {
  crashes.length = 0;
  process.on('uncaughtException', recordCrash);
  const scripted = createScriptedDialogs();
  test = await startTestServer(() => scripted, { maxMessageBytes: MAX_MESSAGE_BYTES });
  host = new URL(test.server.url).host;
});

afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  process.off('uncaughtException', recordCrash);
  await test.stop();
  expect(crashes).toEqual([]);
});

async function stillServes(): Promise<void> {
  const page = await connectPage(test.server.wsUrl, { session: await newSession(test) });
  expect((await call(page.ws, 1, 'profiles:list')).envelope).toMatchObject({ ok: true });
  page.ws.close();
}

/** A raw socket that has completed a real upgrade with a session, ready for hand-made frames. */
async function upgraded(): Promise<{
  socket: Awaited<ReturnType<typeof rawSocket>>;
  replies: Promise<Buffer>;
}> {
  const session = await newSession(test);
  const socket = await rawSocket(test.server.url);
  const replies = readAll(socket);
  socket.write(upgradeRequest({ target: '/__socket', host, origin: test.origin, session }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { socket, replies };
}

describe('bad upgrades', () => {
  it('answers an upgrade whose URL does not parse (GET http://x:99999/) with 400', async () => {
    const socket = await rawSocket(test.server.url);
    const reply = readAll(socket);
    socket.write(upgradeRequest({ target: 'http://x:99999/', host }));
    expect((await reply).toString()).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes();
  });

  it('survives a connection reset right after an upgrade request without a session', async () => {
    for (let i = 0; i < 20; i += 1) {
      const socket = await rawSocket(test.server.url);
      socket.on('error', () => undefined);
      socket.write(upgradeRequest({ target: '/__socket', host, origin: test.origin }));
      socket.resetAndDestroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stillServes();
  });

  it('survives a connection reset right after a good upgrade', async () => {
    for (let i = 0; i < 10; i += 1) {
      const session = await newSession(test);
      const socket = await rawSocket(test.server.url);
      socket.on('error', () => undefined);
      socket.write(upgradeRequest({ target: '/__socket', host, origin: test.origin, session }));
      socket.resetAndDestroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stillServes();
  });

  it('answers garbage that is not HTTP with 400', async () => {
    const socket = await rawSocket(test.server.url);
    const reply = readAll(socket);
    socket.write('\x16\x03\x01 not http at all\r\n\r\n');
    expect((await reply).toString()).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes();
  });
});

describe('bad frames close that socket with the RFC 6455 code', () => {
  it('1009 for a message over the size limit', async () => {
    const { socket, replies } = await upgraded();
    socket.write(clientFrame(0x1, Buffer.alloc(16), MAX_MESSAGE_BYTES + 1));
    expect(closeFrameCode(await replies)).toBe(1009);
    await stillServes();
  });

  it('1007 for a text frame that is not UTF-8', async () => {
    const { socket, replies } = await upgraded();
    socket.write(clientFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    expect(closeFrameCode(await replies)).toBe(1007);
    await stillServes();
  });

  it('1003 for a binary frame, 1008 for JSON that is not one of our messages', async () => {
    const binary = await connectPage(test.server.wsUrl, { session: await newSession(test) });
    const binaryClosed = closeCode(binary.ws);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await binaryClosed).toBe(1003);
    const junk = await connectPage(test.server.wsUrl, { session: await newSession(test) });
    const junkClosed = closeCode(junk.ws);
    junk.ws.send('{"hello": "world"}');
    expect(await junkClosed).toBe(1008);
    await stillServes();
  });
});
