/**
 * The awkward-file corpus (test/fixtures/csv, made by make-corpus.ts): the expected result for
 * each file, through the same calls the import screen and the CLI make.
 */
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { corpusFiles } from '../../../test/fixtures/csv/make-corpus';
import { AppError } from '../errors';
import { inspectCsv, readCsvRows } from './csv-source';
import { dryRun, type DryRunResult } from './dry-run';
import { createReportWriter } from './report-writer';

const folder = fileURLToPath(new URL('../../../test/fixtures/csv/', import.meta.url));
const at = (name: string): string => join(folder, name);
const shared = { kind: 'shared', password: 'Sh4red!pass' } as const;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.message.length).toBeGreaterThan(10);
  expect(appError.hint).toBeTruthy(); // every file-level error says what to do
  return appError;
}

const targets = (result: DryRunResult): string[] => result.mapping.columns.map((c) => c.target);
const problems = (result: DryRunResult): Array<[number, string | null, string]> =>
  result.problems.map((p) => [p.line, p.column, p.kind]);

test('the files on disk are exactly what make-corpus.ts produces (and nothing else is there)', async () => {
  const expected = corpusFiles();
  const onDisk = (await readdir(folder)).filter((name) => name !== 'make-corpus.ts').sort();
  expect(onDisk).toEqual(Object.keys(expected).sort());
  for (const [name, bytes] of Object.entries(expected))
    expect((await readFile(at(name))).equals(bytes), name).toBe(true);
});

describe('corpus', () => {
  test('utf8-bom.csv: BOM dropped from the first header, spaced names mapped', async () => {
    const result = await dryRun(at('utf8-bom.csv'), { passwords: shared });
    expect(result).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', rows: 2, valid: 2 });
    expect(result.headers).toEqual(['Username', 'Email', 'Phone Number']);
    expect(targets(result)).toEqual(['username', 'email', 'phone_number']);
  });

  test('utf16le-bom.txt: Excel "Unicode Text" (UTF-16LE, tabs)', async () => {
    const inspection = await inspectCsv(at('utf16le-bom.txt'));
    expect(inspection).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', rowCount: 2 });
    expect(inspection.preview[0]).toEqual(['amélie', 'amelie@example.com', 'Amélie']);
    expect((await dryRun(at('utf16le-bom.txt'), { passwords: shared })).valid).toBe(2);
  });

  test('utf16be-bom.csv: UTF-16BE', async () => {
    const inspection = await inspectCsv(at('utf16be-bom.csv'));
    expect(inspection).toMatchObject({
      encoding: 'utf-16be',
      delimiter: ',',
      headers: ['username', 'email', 'family_name'],
    });
    expect(inspection.preview[1]).toEqual(['søren', 'soren@example.com', 'Kierkegaard']);
    expect((await dryRun(at('utf16be-bom.csv'), { passwords: shared })).valid).toBe(2);
  });

  test('semicolons.csv: semicolon detected, a comma inside a value kept', async () => {
    const inspection = await inspectCsv(at('semicolons.csv'));
    expect(inspection.delimiter).toBe(';');
    expect(inspection.preview[0]).toEqual(['hans', 'hans@example.de', 'Hans', 'Müller, Jr.']);
    expect((await dryRun(at('semicolons.csv'), { passwords: shared })).valid).toBe(2);
  });

  test('tabs.tsv: tab detected', async () => {
    const inspection = await inspectCsv(at('tabs.tsv'));
    expect(inspection.delimiter).toBe('\t');
    expect(inspection.preview[1]).toEqual(['tina', 'tina@example.com', 'Tina, Tab']);
  });

  test('quoted-newlines.csv: quoted commas, quotes and line breaks; lines are where records start', async () => {
    const inspection = await inspectCsv(at('quoted-newlines.csv'));
    expect(inspection.preview[0]).toEqual([
      'quinn',
      'quinn@example.com',
      '1 Main St,\r\nFlat 2\r\nSpringfield',
      'Quinn "Q" Jones',
    ]);
    expect(inspection.preview[2]).toEqual(['sam', 'sam@example.com', 'a\nb', 'Sam']);
    expect(inspection.headerLine).toBe(1);
    const lines: number[] = [];
    for await (const row of readCsvRows(at('quoted-newlines.csv'))) lines.push(row.line);
    expect(lines).toEqual([2, 5, 6]);
    expect(await dryRun(at('quoted-newlines.csv'), { passwords: shared })).toMatchObject({
      rows: 3,
      valid: 3,
    });
  });

  test('ragged.csv: short and long rows reported per line, a trailing empty cell tolerated', async () => {
    const result = await dryRun(at('ragged.csv'), { passwords: shared });
    expect(result).toMatchObject({ rows: 4, valid: 2, invalid: 2 });
    expect(problems(result)).toEqual([
      [3, null, 'ragged-row'],
      [4, null, 'ragged-row'],
    ]);
  });

  test('binary-junk.csv: FileNotText', async () => {
    expect((await failure(inspectCsv(at('binary-junk.csv')))).name).toBe('FileNotText');
    expect((await failure(dryRun(at('binary-junk.csv'), { passwords: shared }))).name).toBe('FileNotText');
  });

  test('workbook-named-csv.csv: FileNotText naming the workbook', async () => {
    const error = await failure(inspectCsv(at('workbook-named-csv.csv')));
    expect(error.name).toBe('FileNotText');
    expect(error.message).toMatch(/workbook/);
    expect(error.hint).toMatch(/CSV UTF-8/);
  });

  test('empty.csv and blank-lines.csv: EmptyFile', async () => {
    expect((await failure(inspectCsv(at('empty.csv')))).name).toBe('EmptyFile');
    expect((await failure(dryRun(at('blank-lines.csv'), { passwords: shared }))).name).toBe('EmptyFile');
  });

  test('header-only.csv: inspect shows the columns; the dry run says there are no users', async () => {
    const inspection = await inspectCsv(at('header-only.csv'));
    expect(inspection).toMatchObject({
      headers: ['username', 'email', 'phone_number'],
      rowCount: 0,
      preview: [],
    });
    const error = await failure(dryRun(at('header-only.csv'), { passwords: shared }));
    expect(error.name).toBe('EmptyFile');
    expect(error.message).toMatch(/header line but no users/);
  });

  test('no-header.csv: NoHeader with advice', async () => {
    const error = await failure(dryRun(at('no-header.csv'), { passwords: shared }));
    expect(error.name).toBe('NoHeader');
    expect(error.hint).toMatch(/username,email/);
  });

  test('excel-phones.csv: mangled phones flagged with the fix', async () => {
    const result = await dryRun(at('excel-phones.csv'), { passwords: shared });
    expect(result).toMatchObject({ rows: 5, valid: 1 });
    expect(result.problems.map((p) => [p.line, p.kind, p.suggestion])).toEqual([
      [2, 'excel-phone', undefined], // 4.41E+11: digits lost, no fix to offer
      [3, 'excel-phone', '+447700900123'],
      [4, 'invalid-attribute', '+447700900124'],
      [6, 'invalid-attribute', undefined], // 07700…: a national number, the country code is unknown
    ]);
  });

  test('formula-values.csv: valid input, neutralised in the report', async () => {
    const result = await dryRun(at('formula-values.csv'), { passwords: shared });
    expect(result).toMatchObject({ rows: 4, valid: 4 });
    const dir = await mkdtemp(join(tmpdir(), 'corpus-report-'));
    try {
      const path = join(dir, 'report.csv');
      const writer = await createReportWriter(path, { includePasswords: false });
      const inspection = await inspectCsv(at('formula-values.csv'));
      for (const [index, cells] of inspection.preview.entries())
        await writer.write({ line: index + 2, index, username: cells[0] ?? '', outcome: 'created' });
      await writer.close();
      const rows: string[][] = parse(await readFile(path), { bom: true });
      expect(rows.slice(1).map((r) => r[2])).toEqual(["'=1+1", "'@sum", "'+plus", "'-minus"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('cognito-header.csv: GetCSVHeader columns mapped, the ones SignUp cannot take ignored with reasons', async () => {
    const result = await dryRun(at('cognito-header.csv'), { passwords: shared });
    expect(result).toMatchObject({ rows: 2, valid: 2 });
    const byHeader = Object.fromEntries(result.mapping.columns.map((c) => [c.header, c]));
    expect(byHeader['cognito:username']?.target).toBe('username');
    expect(byHeader['custom:joinedOn']?.target).toBe('custom:joinedOn');
    for (const ignored of ['email_verified', 'phone_number_verified', 'cognito:mfa_enabled']) {
      expect(byHeader[ignored]).toMatchObject({ target: 'ignore', known: true });
      expect(byHeader[ignored]?.note).toMatch(/^Ignored: SignUp cannot/);
    }
    expect(result.mapping.unknown).toEqual([]);
  });

  test('header-variants.csv: case/spacing variants mapped, unknown column reported', async () => {
    const result = await dryRun(at('header-variants.csv'), { passwords: shared });
    expect(targets(result)).toEqual([
      'username',
      'email',
      'phone_number',
      'given_name',
      'family_name',
      'ignore',
    ]);
    expect(result.mapping.unknown).toEqual(['Department']);
    const mapped = await dryRun(at('header-variants.csv'), {
      passwords: shared,
      overrides: { Department: 'custom:department' },
    });
    expect(mapped.mapping.unknown).toEqual([]);
    expect(mapped.valid).toBe(1);
  });

  test('duplicates.csv: repeated usernames (case-insensitive) and an empty one', async () => {
    const result = await dryRun(at('duplicates.csv'), { passwords: shared });
    expect(result).toMatchObject({ rows: 5, valid: 2 });
    expect(problems(result)).toEqual([
      [3, 'username', 'duplicate-username'],
      [5, 'username', 'missing-value'],
      [6, 'username', 'duplicate-username'],
    ]);
  });

  test('passwords-column.csv: empty and invalid passwords, never echoed', async () => {
    const result = await dryRun(at('passwords-column.csv'), { passwords: { kind: 'column' } });
    expect(problems(result)).toEqual([
      [3, 'password', 'missing-value'],
      [4, 'password', 'invalid-password'],
    ]);
    expect(JSON.stringify(result)).not.toContain('has space1A!');
  });

  test('windows-1252.csv: UnsupportedEncoding with the way to save as UTF-8', async () => {
    const error = await failure(inspectCsv(at('windows-1252.csv')));
    expect(error.name).toBe('UnsupportedEncoding');
    expect(error.hint).toMatch(/CSV UTF-8/);
  });

  test('unclosed-quote.csv: MalformedCsv pointing at the record that opens the quote', async () => {
    const error = await failure(dryRun(at('unclosed-quote.csv'), { passwords: shared }));
    expect(error.name).toBe('MalformedCsv');
    expect(error.message).toMatch(/line 3/);
  });
});
