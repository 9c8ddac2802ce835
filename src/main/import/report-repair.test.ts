import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '@shared/contract';
import type { StoredRow } from './job-store';
import {
  dropPartialLastLine,
  LOST_PASSWORD_NOTE,
  reportedIndexes,
  restoreMissingLines,
} from './report-repair';
import { createReportWriter } from './report-writer';

const dir = mkdtempSync(join(tmpdir(), 'report-repair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stored = (index: number, state: StoredRow['state']): StoredRow => ({
  index,
  line: index + 2,
  username: `user-${index}`,
  state,
  errorName: state === 'failed' ? 'InvalidPasswordException' : null,
  errorMessage: state === 'failed' ? 'Password did not conform with policy' : null,
  logId: index + 100,
});

/** The store's rows: 0–2499 with outcomes (so restoring pages through more than one chunk), 2500 in flight. */
const rows = [
  ...Array.from({ length: 2500 }, (_, i) => stored(i, i % 10 === 3 ? 'failed' : 'created')),
  stored(2500, 'sending'),
];
const store = {
  rowsWithOutcomeAfter: (_jobId: string, after: number, limit: number) =>
    rows.filter((r) => r.index > after && r.state !== 'sending').slice(0, limit),
};
const entry = (logId: number): LogEntry => ({
  id: logId,
  time: '2026-11-28T10:00:00.000Z',
  source: 'import',
  region: 'eu-west-1',
  clientId: 'c',
  username: `user-${logId - 100}`,
  outcome: 'created',
  userSub: `sub-${logId - 100}`,
  userConfirmed: false,
});

function readRows(path: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(readFileSync(path), { bom: true, columns: true });
}

describe('restoring report lines a kill cut off', () => {
  it('cuts a half-written last line and puts back every row the store has an outcome for', async () => {
    const path = join(dir, 'report.csv');
    const first = await createReportWriter(path, { includePasswords: true });
    for (const row of rows.slice(0, 40))
      await first.write({
        line: row.line,
        index: row.index,
        username: row.username,
        outcome: 'created',
        generatedPassword: 'Kept-Passw0rd!',
      });
    await first.close();
    // The kill landed in the middle of line 41.
    appendFileSync(path, '42,40,user-40,crea');

    await dropPartialLastLine(path);
    expect(readFileSync(path, 'utf8').endsWith('\r\n')).toBe(true);
    expect((await reportedIndexes(path)).size).toBe(40);

    const writer = await createReportWriter(path, { includePasswords: true, append: true });
    const restored = await restoreMissingLines({
      jobId: 'j',
      reportPath: path,
      store,
      entry,
      writer,
      includePasswords: true,
    });
    await writer.close();

    expect(restored).toBe(2500 - 40);
    const report = readRows(path);
    expect(report).toHaveLength(2500);
    expect(new Set(report.map((r) => r['row_index'])).size).toBe(2500);
    const lost = report.find((r) => r['row_index'] === '40');
    expect(lost).toMatchObject({
      outcome: 'created',
      user_sub: 'sub-40',
      error_message: LOST_PASSWORD_NOTE,
      generated_password: '',
    });
    expect(report.find((r) => r['row_index'] === '0')?.['generated_password']).toBe('Kept-Passw0rd!');
    expect(report.find((r) => r['row_index'] === '43')).toMatchObject({
      outcome: 'failed',
      error_name: 'InvalidPasswordException',
    });
    // The row still in flight has no outcome: the resumed run will write it.
    expect(report.some((r) => r['row_index'] === '2500')).toBe(false);
  });

  it('leaves a whole report alone', async () => {
    const path = join(dir, 'whole.csv');
    const writer = await createReportWriter(path, { includePasswords: false });
    await writer.write({ line: 2, index: 0, username: 'a', outcome: 'created' });
    await writer.close();
    const before = readFileSync(path);
    await dropPartialLastLine(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
