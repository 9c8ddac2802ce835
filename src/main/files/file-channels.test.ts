/**
 * Files reach main only as handles main handed out, and only regular files are read: through
 * dispatch, as a compromised renderer would call it. A path in a request is refused by the
 * contract; a forged handle is unknown; a FIFO or a device is refused at once, without tying up
 * libuv's threads (the main process keeps answering file operations).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChosenFileView } from '@shared/contract';
import { dispatch } from '../ipc/dispatch';
import type { SecretStore } from '../keychain/secret-store';
import { createServices, type Services } from '../services';
import { createScriptedDialogs } from '../../../test/support/scripted-dialogs';

const noSecrets: SecretStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
  remove: () => Promise.resolve(),
};
const dialogs = createScriptedDialogs();
const fifos: string[] = [];
let home: string;
let services: Services;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'file-channels-'));
  services = createServices({ home, secrets: noSecrets, dialogs });
});
afterAll(async () => {
  // A reader stuck on a FIFO (the bug this guards against) is let go: open its write end.
  for (const fifo of fifos) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to let go.
    }
  }
  await services?.close();
  rmSync(home, { recursive: true, force: true });
});

async function errorOf(channel: string, request?: unknown): Promise<{ name: string; message: string }> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (envelope.ok) throw new Error(`${channel} answered ${JSON.stringify(envelope.value)}`);
  return envelope.error;
}

async function call<T>(channel: string, request?: unknown): Promise<T> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (!envelope.ok) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

/** The user picks `path` in the (scripted) open dialog. */
async function choose(path: string): Promise<ChosenFileView> {
  dialogs.setOpenResult(path);
  const picked = await call<ChosenFileView | null>('files:openCsv');
  if (picked === null) throw new Error('the dialog answered nothing');
  return picked;
}

function writeCsv(name: string): string {
  const path = join(home, name);
  writeFileSync(path, 'username,email\nann,ann@example.com\nbob,bob@example.com\n');
  return path;
}

function mkfifo(name: string): string {
  const path = join(home, name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}

/** Resolves within `ms` or rejects: a call that blocks a thread must fail the test, not hang it. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);
}

const passwordSource = { kind: 'shared', password: 'Shared-Passw0rd!' } as const;
const startSettings = { profileId: 'p1', rate: 5, concurrency: 1, passwordSource };
const FORGED = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('a request names a file only by a handle main handed out', () => {
  it.each([
    ['import:inspect', {}],
    ['import:dryRun', { passwordSource }],
    ['import:start', startSettings],
  ])('%s refuses a path: InvalidRequest, nothing read', async (channel, rest) => {
    const error = await errorOf(channel, { path: '/etc/passwd', ...rest });
    expect(error.name).toBe('InvalidRequest');
    expect(error.message).not.toContain('root');
  });

  it.each([
    ['import:inspect', {}],
    ['import:dryRun', { passwordSource }],
    ['import:start', startSettings],
  ])('%s refuses a forged handle as unknown', async (channel, rest) => {
    expect((await errorOf(channel, { handle: FORGED, ...rest })).name).toBe('UnknownFile');
    expect((await errorOf(channel, { handle: '/etc/passwd', ...rest })).name).toBe('InvalidRequest');
  });

  it('a file chosen in the dialog comes back as a handle, its name and size; never its path', async () => {
    const path = writeCsv('people.csv');
    const picked = await choose(path);
    expect(picked).toEqual({ handle: expect.stringMatching(/^[\w-]{22}$/), name: 'people.csv', size: 55 });
    expect(JSON.stringify(picked)).not.toContain(home);

    const inspection = await call<{ handle: string; headers: string[]; rowCount: number }>('import:inspect', {
      handle: picked.handle,
    });
    expect(inspection).toMatchObject({ handle: picked.handle, headers: ['username', 'email'], rowCount: 2 });
    expect(JSON.stringify(inspection)).not.toContain(home);
    const dry = await call<{ rows: number; valid: number }>('import:dryRun', {
      handle: picked.handle,
      passwordSource,
    });
    expect(dry).toMatchObject({ rows: 2, valid: 2 });
  });

  it('each pick is a new handle; a handle is not a path main will take', async () => {
    const path = writeCsv('again.csv');
    const first = await choose(path);
    const second = await choose(path);
    expect(first.handle).not.toBe(second.handle);
  });
});

describe('only regular files are opened, without blocking', () => {
  it('the dialog answering a FIFO or /dev/zero is refused at once', async () => {
    for (const path of [mkfifo('pipe.csv'), '/dev/zero', home]) {
      dialogs.setOpenResult(path);
      expect((await within(1000, errorOf('files:openCsv'))).name).toBe('NotARegularFile');
    }
  });

  it('a chosen file swapped for FIFOs or a device later is refused on every channel; main stays responsive', async () => {
    // Four FIFOs at once would take every libuv thread if an open waited for a writer.
    const handles: string[] = [];
    for (let i = 0; i < 4; i++) {
      const path = writeCsv(`swapped-${i}.csv`);
      handles.push((await choose(path)).handle);
      rmSync(path);
      execFileSync('mkfifo', [path]);
      fifos.push(path);
    }
    const device = join(home, 'device.csv');
    symlinkSync(writeCsv('target.csv'), device);
    handles.push((await choose(device)).handle);
    rmSync(device);
    symlinkSync('/dev/zero', device);

    const attempts = handles.flatMap((handle) => [
      errorOf('import:inspect', { handle }),
      errorOf('import:dryRun', { handle, passwordSource }),
    ]);
    const errors = await within(1000, Promise.all(attempts));
    expect(new Set(errors.map((e) => e.name))).toEqual(new Set(['NotARegularFile']));
    // The thread pool is free: an unrelated file operation in main completes at once.
    expect(await within(1000, readFile(writeCsv('other.csv'), 'utf8'))).toContain('ann');
  });

  it('a start (CLI or app) on a FIFO or /dev/zero is refused before any checksum is read', async () => {
    const connection = {
      region: 'us-east-1',
      userPoolId: 'us-east-1_test',
      clientId: 'client',
      endpoint: 'http://127.0.0.1:9',
      secret: null,
    };
    for (const path of [mkfifo('start.csv'), '/dev/zero']) {
      const started = services.imports.start({
        target: { connection },
        path,
        passwordSource,
        rate: 5,
        concurrency: 1,
      });
      await expect(within(1000, started)).rejects.toMatchObject({ name: 'NotARegularFile' });
    }
  });
});

describe('a dropped file', () => {
  it('is taken only once the user confirms it; a declined drop reads nothing', async () => {
    const path = writeCsv('dropped.csv');
    dialogs.setDropAnswer(false);
    expect((await errorOf('files:fromDrop', { path })).name).toBe('DropDeclined');
    expect((await errorOf('files:fromDrop', { path: '/etc/passwd' })).name).toBe('DropDeclined');

    dialogs.setDropAnswer(true);
    const dropped = await call<ChosenFileView>('files:fromDrop', { path });
    expect(dropped.name).toBe('dropped.csv');
    const inspection = await call<{ headers: string[] }>('import:inspect', { handle: dropped.handle });
    expect(inspection.headers).toEqual(['username', 'email']);
    expect(
      dialogs
        .requests()
        .filter((r) => r.kind === 'confirmDrop')
        .map((r) => r.path),
    ).toContain(path);
  });

  it('confirmed, a FIFO or a device is still refused at once', async () => {
    dialogs.setDropAnswer(true);
    for (const path of [mkfifo('dropped-pipe.csv'), '/dev/zero'])
      expect((await within(1000, errorOf('files:fromDrop', { path }))).name).toBe('NotARegularFile');
  });
});
