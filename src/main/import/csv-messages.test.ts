/** The files that cannot be read at all each get a message that says what is wrong with them. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { inspectCsv, readCsvRows } from './csv-source';
import { unreadableError } from './csv-sniff';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-messages-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function errorOf(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function readAll(path: string): Promise<void> {
  for await (const row of readCsvRows(path)) void row;
}

// root reads any file whatever its mode: the permission test means nothing then.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('files that cannot be read', () => {
  it('a row over the record limit says the row is too long, not that a quote is never closed', async () => {
    const path = await file('long.csv', `username,notes\nalice,${'x'.repeat(1024 * 1024 + 10)}\n`);
    const error = await errorOf(readAll(path));
    expect(error.name).toBe('RecordTooLong');
    expect(error.message).toMatch(
      /^A row is longer than 1048576 characters \(in the record starting on line 2\) — /,
    );
    expect(error.message).not.toContain('xxxx');
  });

  it('a file of zero bytes only says so: a broken download, not UTF-16', async () => {
    const small = await errorOf(inspectCsv(await file('zeros.csv', Buffer.alloc(4096))));
    expect(small.name).toBe('FileNotText');
    expect(small.message).toBe(
      'This file holds only zero bytes: it is empty of text, most likely a broken download or copy.',
    );
    const large = await errorOf(inspectCsv(await file('zeros-large.csv', Buffer.alloc(200 * 1024))));
    expect(large.message).toMatch(/only zero bytes/);
  });

  it.skipIf(isRoot)('a file without read permission names the file and the permission', async () => {
    const path = await file('locked.csv', 'username\nalice\n');
    await chmod(path, 0o000);
    const error = await errorOf(inspectCsv(path));
    expect(error.name).toBe('FileUnreadable');
    expect(error.message).toMatch(
      new RegExp(
        `^SignUp Desk may not read ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(permission denied\\): `,
      ),
    );
  });

  it('EACCES from the file system becomes FileUnreadable naming the file (runs as root too)', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/x/users.csv'"), {
      code: 'EACCES',
    });
    const error = unreadableError('/x/users.csv', denied) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.name).toBe('FileUnreadable');
    expect(error.message).toMatch(/^SignUp Desk may not read \/x\/users\.csv \(permission denied\): /);
    const missing = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    expect(unreadableError('/x/users.csv', missing)).toBe(missing);
  });
});
