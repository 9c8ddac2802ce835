/**
 * POST /__upload: only from the page (Origin and session), up to a size limit, into a folder
 * nobody else can read, gone on stop; and what a killed earlier run left behind is gone at start.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSession, startTestServer, type TestServer } from '../../test/support/browser-mode-client';
import { createScriptedDialogs, type ScriptedDialogs } from '../../test/support/scripted-dialogs';

const LIMIT = 1024;
let tempRoot: string;
let test: TestServer<ScriptedDialogs>;
let session: string;

beforeEach(async () => {
  tempRoot = await mkdtemp(join(tmpdir(), 'browser-mode-temp-'));
  const scripted = createScriptedDialogs();
  test = await startTestServer(() => scripted, { maxUploadBytes: LIMIT, tempRoot });
  session = await newSession(test);
});

afterEach(async () => {
  await test.stop();
  await rm(tempRoot, { recursive: true, force: true });
});

function upload(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${test.server.url}__upload`, {
    method: 'POST',
    headers: {
      origin: test.origin,
      'x-signup-desk-session': session,
      'x-signup-desk-file-name': encodeURIComponent('../../users 1.csv'),
      ...headers,
    },
    body,
  });
}

/** A chunked upload (no Content-Length), as a streaming client sends one. */
function chunkedUpload(bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${test.server.url}__upload`,
      { method: 'POST', headers: { origin: test.origin, 'x-signup-desk-session': session } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (let sent = 0; sent < bytes; sent += 256) req.write('x'.repeat(256));
    req.end();
  });
}

describe('who may upload', () => {
  it('refuses an upload without the session, or without the page’s Origin', async () => {
    expect((await upload('a,b\n', { 'x-signup-desk-session': 'wrong' })).status).toBe(403);
    const noOrigin = await fetch(`${test.server.url}__upload`, {
      method: 'POST',
      headers: { 'x-signup-desk-session': session },
      body: 'a,b\n',
    });
    expect(noOrigin.status).toBe(403);
    expect((await upload('a,b\n', { origin: 'http://evil.example' })).status).toBe(403);
  });
});

describe('the size limit', () => {
  it('stores a file up to the limit and answers its path', async () => {
    const response = await upload('x'.repeat(LIMIT));
    expect(response.status).toBe(200);
    const { path } = (await response.json()) as { path: string };
    expect(path).toMatch(/[\\/]users_1\.csv$/);
    expect(await readFile(path, 'utf8')).toBe('x'.repeat(LIMIT));
  });

  it('answers 413 to a body over the limit (by Content-Length, and counted when chunked)', async () => {
    expect((await upload('x'.repeat(LIMIT + 1))).status).toBe(413);
    expect(await chunkedUpload(LIMIT * 4)).toBe(413);
  });
});

describe('where uploads live', () => {
  it('keeps them in a private folder: every folder 0700, every file 0600', async () => {
    const { path } = (await (await upload('username\nann\n')).json()) as { path: string };
    expect(path.startsWith(test.server.runFolder)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    for (let folder = dirname(path); folder.startsWith(test.server.runFolder); folder = dirname(folder)) {
      expect({ folder, mode: (await stat(folder)).mode & 0o777 }).toEqual({ folder, mode: 0o700 });
    }
  });

  it('removes them on stop', async () => {
    const { path } = (await (await upload('username\nann\n')).json()) as { path: string };
    await test.stop();
    await expect(stat(path)).rejects.toThrow();
    await expect(stat(test.server.runFolder)).rejects.toThrow();
    const scripted = createScriptedDialogs();
    test = await startTestServer(() => scripted, { tempRoot }); // for afterEach
  });

  it('removes at start the run folders of earlier runs that have exited, not of live ones', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const dead = join(tempRoot, 'signup-desk-browser-99999999-abc123');
      const live = join(tempRoot, `signup-desk-browser-${child.pid}-def456`);
      const unrelated = join(tempRoot, 'someone-else-99999999-x');
      for (const folder of [dead, live, unrelated]) {
        await mkdir(join(folder, '1'), { recursive: true });
        await writeFile(join(folder, '1', 'users.csv'), 'secret');
      }
      const scripted = createScriptedDialogs();
      const another = await startTestServer(() => scripted, { tempRoot });
      await another.stop();
      await expect(stat(dead)).rejects.toThrow();
      expect((await stat(live)).isDirectory()).toBe(true);
      expect((await stat(unrelated)).isDirectory()).toBe(true);
      expect((await stat(test.server.runFolder)).isDirectory()).toBe(true); // this process's, alive
    } finally {
      child.kill();
    }
  });
});
