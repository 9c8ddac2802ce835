import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import {
  countLineBreaks,
  detectDelimiter,
  fileChecksum,
  inspectCsv,
  readCsvRowBatches,
  readCsvRows,
  type CsvRow,
} from './csv-source';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function collect(rows: AsyncIterable<CsvRow>): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('detectDelimiter', () => {
  test.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2,5;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['"x;y",b\n"1;2",3\n', ','], // delimiters inside quotes do not count
    ['username\nalice\n', ','], // one column: the default
  ])('%j → %j', (sample, expected) => {
    expect(detectDelimiter(sample, true)).toBe(expected);
  });

  test('ignores the last record of an incomplete sample', () => {
    expect(detectDelimiter('a;b\n1;2\n3;4,5,6,7,8,9', false)).toBe(';');
  });
});

test('countLineBreaks counts CRLF, LF and lone CR once each', () => {
  expect(countLineBreaks('a\r\nb\nc\rd')).toBe(3);
  expect(countLineBreaks('no break')).toBe(0);
});

describe('readCsvRows', () => {
  test('gives the physical line each record starts on, across 64 KiB chunk boundaries', async () => {
    // Multi-byte characters and quoted CRLFs land on chunk edges somewhere in 5,000 rows.
    const lines = ['username,note'];
    const expected: Array<{ line: number; cells: string[] }> = [];
    let line = 2;
    for (let i = 0; i < 5000; i++) {
      if (i % 7 === 0) {
        lines.push(`u${i},"é, ${i}\r\nsecond ""line""\r\nthird"`);
        expected.push({ line, cells: [`u${i}`, `é, ${i}\r\nsecond "line"\r\nthird`] });
        line += 3;
      } else if (i % 11 === 0) {
        lines.push(''); // a blank line: skipped, still counted
        line += 1;
        lines.push(`ü${i},ä`);
        expected.push({ line, cells: [`ü${i}`, 'ä'] });
        line += 1;
      } else {
        lines.push(`u${i},plain ${i}`);
        expected.push({ line, cells: [`u${i}`, `plain ${i}`] });
        line += 1;
      }
    }
    const path = await file('lines.csv', lines.join('\r\n') + '\r\n');
    const rows = await collect(readCsvRows(path));
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      expect(row.index).toBe(i);
      expect({ line: row.line, cells: row.cells }).toEqual(expected[i]);
    });
  });

  test('mixed line endings: LF, CRLF and a lone CR each end one physical line', async () => {
    // Excel on a Mac, a file edited on two systems: csv-parse alone would take the first ending for
    // the whole file and leave "x\r" in a cell and "\rc" in the next record.
    const path = await file('mixed-endings.csv', 'username,note\na,x\r\nb,"p\rq"\n\rc,y\n');
    const rows = await collect(readCsvRows(path));
    expect(rows.map((r) => [r.line, r.index, r.cells])).toEqual([
      [2, 0, ['a', 'x']],
      [3, 1, ['b', 'p\rq']],
      [6, 2, ['c', 'y']],
    ]);
  });

  test('batches hold the same rows, in order, a chunk of the file at a time', async () => {
    const path = await file(
      'batches.csv',
      'username,note\n' + Array.from({ length: 20_000 }, (_, i) => `user${i},"n\n${i}"`).join('\n'),
    );
    const batches: CsvRow[][] = [];
    for await (const batch of readCsvRowBatches(path)) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    const flat = batches.flat();
    expect(flat).toEqual(await collect(readCsvRows(path)));
    expect(flat).toHaveLength(20_000);
    expect(flat.at(-1)).toEqual({ line: 2 + 2 * 19_999, index: 19_999, cells: ['user19999', 'n\n19999'] });
  });

  test('an abort signal stops the read with an AbortError', async () => {
    const path = await file('abort.csv', 'username\n' + 'someone\n'.repeat(100_000));
    const controller = new AbortController();
    let seen = 0;
    const error = await (async () => {
      for await (const batch of readCsvRowBatches(path, { signal: controller.signal })) {
        seen += batch.length;
        controller.abort();
      }
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error | null)?.name).toBe('AbortError');
    expect(seen).toBeLessThan(100_000);
  });

  test('resumes from an index or a line', async () => {
    const path = await file('resume.csv', 'username\na\nb\n\nc\nd\n');
    expect(
      (await collect(readCsvRows(path, { fromIndex: 2 }))).map((r) => [r.index, r.line, r.cells[0]]),
    ).toEqual([
      [2, 5, 'c'],
      [3, 6, 'd'],
    ]);
    expect((await collect(readCsvRows(path, { fromLine: 4 }))).map((r) => r.cells[0])).toEqual(['c', 'd']);
  });

  test('reads UTF-16LE and UTF-16BE with BOM', async () => {
    const text = 'username;given_name\r\nrené;René\r\n';
    const le = await file('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const beBytes = Buffer.from(text, 'utf16le');
    for (let i = 0; i < beBytes.length; i += 2)
      [beBytes[i], beBytes[i + 1]] = [beBytes[i + 1] as number, beBytes[i] as number];
    const be = await file('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    for (const path of [le, be]) {
      const inspection = await inspectCsv(path);
      expect(inspection.delimiter).toBe(';');
      expect(inspection.headers).toEqual(['username', 'given_name']);
      expect((await collect(readCsvRows(path)))[0]?.cells).toEqual(['rené', 'René']);
    }
    expect((await inspectCsv(le)).encoding).toBe('utf-16le');
    expect((await inspectCsv(be)).encoding).toBe('utf-16be');
  });

  test('invalid UTF-8 beyond the sniffed sample fails with UnsupportedEncoding, not mojibake', async () => {
    const good = 'username\n' + 'abcdefghij\n'.repeat(10_000); // > 64 KiB of clean text first
    const path = await file(
      'late-latin1.csv',
      Buffer.concat([Buffer.from(good), Buffer.from('m\xfcller\n', 'latin1')]),
    );
    expect((await errorOf(collect(readCsvRows(path)))).name).toBe('UnsupportedEncoding');
  });

  test('UTF-16 without a BOM is UnsupportedEncoding; NULs in UTF-8 are FileNotText', async () => {
    const bomless = await file(
      'bomless.csv',
      Buffer.from('username,email\r\nann,ann@example.com\r\n', 'utf16le'),
    );
    expect((await errorOf(inspectCsv(bomless))).name).toBe('UnsupportedEncoding');
    const nul = await file('nul.csv', Buffer.from('username\nann\u0000\n'));
    expect((await errorOf(inspectCsv(nul))).name).toBe('FileNotText');
  });

  test('a delimiter override wins over detection', async () => {
    const path = await file('override.csv', 'a;b;c,d\n1;2;3,4\n');
    expect((await inspectCsv(path)).headers).toEqual(['a', 'b', 'c,d']);
    expect((await inspectCsv(path, { delimiter: ',' })).headers).toEqual(['a;b;c', 'd']);
  });

  test('breaking out early stops reading (and the preview stops at 20 rows)', async () => {
    const path = await file(
      'long.csv',
      'username\n' + Array.from({ length: 100 }, (_, i) => `u${i}`).join('\n'),
    );
    const inspection = await inspectCsv(path);
    expect(inspection.preview).toHaveLength(20);
    expect(inspection.rowCount).toBeUndefined();
    expect((await inspectCsv(path, { countRows: true })).rowCount).toBe(100);
  });
});

test('fileChecksum is the SHA-256 of the bytes', async () => {
  const bytes = Buffer.from('username\nalice\n'.repeat(50_000));
  const path = await file('sum.csv', bytes);
  expect(await fileChecksum(path)).toBe(
    createHash('sha256')
      .update(await readFile(path))
      .digest('hex'),
  );
  await writeFile(path, Buffer.concat([bytes, Buffer.from('x')]));
  expect(await fileChecksum(path)).not.toBe(createHash('sha256').update(bytes).digest('hex'));
});
