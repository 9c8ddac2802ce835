import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createReportWriter, REPORT_COLUMNS } from './report-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (path: string): Promise<string[][]> =>
  parse(await readFile(path), { bom: true, relax_column_count: true });

describe('createReportWriter', () => {
  test('writes a header and rows, neutralising formula-looking cells, in a 0600 file', async () => {
    const path = join(dir, 'report.csv');
    const writer = await createReportWriter(path, { includePasswords: false });
    await writer.write({
      line: 2,
      index: 0,
      username: '=HYPERLINK("http://x")',
      outcome: 'created',
      userSub: '1f2e-uuid',
      userConfirmed: false,
      deliveryMedium: 'SMS',
      deliveryDestination: '+447700900001',
      generatedPassword: 'must-not-appear',
    });
    await writer.write({
      line: 5,
      index: 2,
      username: '@bob',
      outcome: 'failed',
      errorName: 'InvalidParameterException',
      errorMessage: '-bad, "quoted"\nline',
    });
    await writer.close();

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM for Excel
    expect(bytes.toString()).not.toContain('must-not-appear');
    const rows = await read(path);
    expect(rows[0]).toEqual([...REPORT_COLUMNS]);
    expect(rows[1]).toEqual([
      '2',
      '0',
      `'=HYPERLINK("http://x")`,
      'created',
      '1f2e-uuid',
      'false',
      'SMS',
      `'+447700900001`,
      '',
      '',
    ]);
    expect(rows[2]).toEqual([
      '5',
      '2',
      `'@bob`,
      'failed',
      '',
      '',
      '',
      '',
      'InvalidParameterException',
      `'-bad, "quoted"\nline`,
    ]);
  });

  test('includes generated passwords only when asked', async () => {
    const path = join(dir, 'with-passwords.csv');
    const writer = await createReportWriter(path, { includePasswords: true });
    await writer.write({
      line: 2,
      index: 0,
      username: 'a',
      outcome: 'created',
      generatedPassword: 'Xy7^abc',
    });
    await writer.close();
    const rows = await read(path);
    expect(rows[0]?.at(-1)).toBe('generated_password');
    expect(rows[1]?.at(-1)).toBe('Xy7^abc');
  });

  test('append continues a report without a second header and narrows its mode', async () => {
    const path = join(dir, 'resumed.csv');
    const first = await createReportWriter(path, { includePasswords: false });
    await first.write({ line: 2, index: 0, username: 'a', outcome: 'created' });
    await first.close();
    const second = await createReportWriter(path, { includePasswords: false, append: true });
    await second.write({ line: 3, index: 1, username: 'b', outcome: 'exists' });
    await second.close();
    const rows = await read(path);
    expect(rows.map((r) => r[2])).toEqual(['username', 'a', 'b']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  test('waits for the disk instead of buffering everything (many rows arrive whole)', async () => {
    const path = join(dir, 'many.csv');
    const writer = await createReportWriter(path, { includePasswords: false });
    for (let i = 0; i < 20_000; i++)
      await writer.write({ line: i + 2, index: i, username: `user${i}`, outcome: 'created' });
    await writer.close();
    const rows = await read(path);
    expect(rows).toHaveLength(20_001);
    expect(rows.at(-1)?.[2]).toBe('user19999');
  });
});
