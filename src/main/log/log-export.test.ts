import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '../store/database';
import { createLogStore, type LogStore, type NewLogEntry } from './log-store';
import { EXPORT_COLUMNS, exportLog } from './log-export';

let dir: string;
let db: Database;
let log: LogStore;
const entry = (overrides: Partial<NewLogEntry>): NewLogEntry => ({
  time: '2026-05-01T10:00:00.000Z',
  source: 'form',
  region: 'eu-west-1',
  clientId: 'c',
  username: 'u',
  outcome: 'created',
  ...overrides,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-export-'));
  db = openDatabase(join(dir, 'test.sqlite'));
  log = createLogStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('writes the filtered entries as formula-safe CSV, across many pages, readable by the owner only', async () => {
  for (let i = 0; i < 1_203; i++)
    log.record(entry({ username: `user${i}`, outcome: i % 3 === 0 ? 'exists' : 'created' }));
  log.record(entry({ username: '=HYPERLINK("http://x")', outcome: 'exists', errorMessage: '+1 or -1 @x' }));
  const path = join(dir, 'out.csv');
  const count = await exportLog(log, { outcomes: ['exists'] }, 'csv', path);
  expect(count).toBe(402);
  const rows = parse(readFileSync(path, 'utf8'));
  expect(rows[0]).toEqual(EXPORT_COLUMNS);
  expect(rows).toHaveLength(403);
  const username = EXPORT_COLUMNS.indexOf('username');
  expect(rows[1]?.[username]).toBe(`'=HYPERLINK("http://x")`);
  expect(rows[1]?.[EXPORT_COLUMNS.indexOf('errorMessage')]).toBe("'+1 or -1 @x");
  expect(rows.at(-1)?.[username]).toBe('user0');
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

it('writes JSON as one array of entries, empty when nothing matches', async () => {
  log.record(entry({ username: 'a', jobId: 'j1' }));
  log.record(entry({ username: 'b', jobId: 'j2' }));
  const path = join(dir, 'out.json');
  expect(await exportLog(log, { jobId: 'j2' }, 'json', path)).toBe(1);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([
    expect.objectContaining({ username: 'b', jobId: 'j2' }),
  ]);
  expect(await exportLog(log, { text: 'nobody' }, 'json', path)).toBe(0);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([]);
});
