/**
 * `npm run browser`'s dialogs, end to end without a browser: a `ws` client plays the page — it
 * answers "pick a file" by uploading one and downloads what main saves. (The page's real half,
 * the file picker and the download, was checked in Chromium: see page/file-dialogs.ts.)
 */
import { readdir, stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { DialogPort } from '../main/dialogs/dialog-port';
import {
  call,
  closeCode,
  connectPage,
  newSession,
  startTestServer,
  type PageConnection,
  type TestServer,
} from '../../test/support/browser-mode-client';
import { createBrowserDialogs } from './browser-dialogs';
import { isDialogMessage, isDownloadMessage, type DialogMessage } from './protocol';

let test: TestServer<DialogPort>;
let session: string;
let page: PageConnection;
/** What each "open CSV" the services asked for came to. */
let opened: Promise<string | null>[];

beforeEach(async () => {
  opened = [];
  test = await startTestServer((link) => {
    const dialogs = createBrowserDialogs(link);
    return {
      openCsv: () => {
        const result = dialogs.openCsv();
        opened.push(result);
        return result;
      },
      saveFile: (options) => dialogs.saveFile(options),
    };
  });
  session = await newSession(test);
  page = await connectPage(test.server.wsUrl, { session });
});

afterEach(async () => {
  page.ws.close();
  await test.stop();
});

function nextDialog(connection: PageConnection): Promise<DialogMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message: unknown = JSON.parse(Buffer.from(data as Buffer).toString('utf8'));
      if (!isDialogMessage(message)) return;
      connection.ws.off('message', onMessage);
      resolve(message);
    };
    connection.ws.on('message', onMessage);
  });
}

async function uploadAs(body: string, name: string): Promise<string> {
  const response = await fetch(`${test.server.url}__upload`, {
    method: 'POST',
    headers: { origin: test.origin, 'x-signup-desk-session': session, 'x-signup-desk-file-name': name },
    body,
  });
  return ((await response.json()) as { path: string }).path;
}

function answer(ws: WebSocket, id: number, path: string | null, error?: string): void {
  ws.send(JSON.stringify({ dialogAnswer: { id, path, ...(error !== undefined && { error }) } }));
}

function download(id: string): Promise<Response> {
  return fetch(`${test.server.url}__download`, {
    method: 'POST',
    headers: { origin: test.origin, 'x-signup-desk-session': session, 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
}

describe('open a CSV: the page picks and uploads the file', () => {
  it('asks the calling page for a CSV and gives main the uploaded copy’s path', async () => {
    const dialog = nextDialog(page);
    const result = call(page.ws, 1, 'files:openCsv');
    const { dialog: asked } = await dialog;
    expect(asked.kind).toBe('openFile');
    expect(asked.accept).toContain('.csv');
    const path = await uploadAs('username\nann\n', 'users.csv');
    answer(page.ws, asked.id, path);
    expect((await result).envelope).toEqual({ ok: true, value: { path } });
  });

  it('answers "cancelled" when the person cancels, or the page goes away', async () => {
    const dialog = nextDialog(page);
    const cancelled = call(page.ws, 1, 'files:openCsv');
    answer(page.ws, (await dialog).dialog.id, null);
    expect((await cancelled).envelope).toEqual({ ok: true, value: null });

    const other = await connectPage(test.server.wsUrl, { session });
    const asked = nextDialog(other);
    void call(other.ws, 1, 'files:openCsv');
    await asked;
    other.ws.close();
    expect(await opened.at(-1)).toBeNull();
    // Outside a call from a page there is nobody to ask: "cancelled", not a dialog that never ends.
    expect(await test.contexts[0]?.dialogs.openCsv()).toBeNull();
  });

  it('reports a file the page could not hand over as an error main can show', async () => {
    const dialog = nextDialog(page);
    const result = call(page.ws, 1, 'files:openCsv');
    answer(page.ws, (await dialog).dialog.id, null, 'The file is larger than browser mode takes.');
    expect((await result).envelope).toMatchObject({
      ok: false,
      error: { name: 'FileNotHandedOver', message: 'The file is larger than browser mode takes.' },
    });
  });

  it('shows the picker only to the page that asked, and takes only a path it uploaded (1008 otherwise)', async () => {
    const bystander = await connectPage(test.server.wsUrl, { session });
    const dialog = nextDialog(page);
    void call(page.ws, 1, 'files:openCsv');
    const { dialog: asked } = await dialog;
    answer(bystander.ws, asked.id, null); // not its dialog
    expect(await closeCode(bystander.ws)).toBe(1008);
    const closed = closeCode(page.ws);
    answer(page.ws, asked.id, '/etc/passwd');
    expect(await closed).toBe(1008);
    expect(await opened.at(-1)).toBeNull(); // never /etc/passwd
  });
});

describe('save: main writes a private file, the page downloads it once', () => {
  it('offers the saved file to the calling page; it downloads once, then the file is gone', async () => {
    const offered = new Promise<{ id: string; name: string }>((resolve) =>
      page.ws.on('message', (data) => {
        const message: unknown = JSON.parse(Buffer.from(data as Buffer).toString('utf8'));
        if (isDownloadMessage(message)) resolve(message.download);
      }),
    );
    const { envelope } = await call(page.ws, 1, 'import:saveReport', { jobId: 'job-1' });
    const saved = (envelope as { ok: true; value: { path: string } }).value.path;
    expect(saved.startsWith(test.server.runFolder)).toBe(true);
    expect((await stat(saved)).mode & 0o777).toBeLessThanOrEqual(0o644);
    const { id, name } = await offered;
    expect(name).toBe('report_job-1.csv');
    const first = await download(id);
    expect(first.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''report_job-1.csv");
    expect(await first.text()).toBe(test.reportContent);
    await expect
      .poll(() =>
        stat(saved).then(
          () => 'there',
          () => 'gone',
        ),
      )
      .toBe('gone');
    expect((await download(id)).status).toBe(404);
  });

  it('offers nothing when the call failed, and needs the session and Origin to download', async () => {
    const { envelope } = await call(page.ws, 1, 'import:saveReport', { jobId: 'fails' });
    expect(envelope.ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.messages.filter(isDownloadMessage)).toEqual([]);
    const refused = await fetch(`${test.server.url}__download`, {
      method: 'POST',
      headers: { 'x-signup-desk-session': session },
      body: JSON.stringify({ id: 'x' }),
    });
    expect(refused.status).toBe(403);
    expect(await readdir(test.server.runFolder)).toEqual([]);
  });
});
