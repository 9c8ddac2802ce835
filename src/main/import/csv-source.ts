/**
 * Reading a user CSV from disk: sniffing its encoding, finding its delimiter, and streaming its
 * records with their physical line numbers. Memory stays flat whatever the file's size: only a
 * 64 KiB sample and the record being parsed are held.
 *
 * Parsing is csv-parse's (RFC 4180 quoting, quoted commas and newlines):
 * https://csv.js.org/parse/options/
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import { isUtf8 } from 'node:buffer';
import { parse, CsvError } from 'csv-parse';
import { AppError } from '../errors';

/** `utf-8-bom` is UTF-8 that starts with EF BB BF (what Excel's "CSV UTF-8" writes). */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
export type CsvDelimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

export interface CsvInspection {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** The first non-blank record, each cell trimmed. */
  headers: string[];
  /** Line (1-based, physical) of the header record. */
  headerLine: number;
  /** Data rows; known when the file ended inside the preview or `countRows` was asked for. */
  rowCount?: number;
  /** The first PREVIEW_ROWS data rows, as parsed (untrimmed). */
  preview: string[][];
}

/** One data record. `index` is the 0-based data row (header and blank lines not counted). */
export interface CsvRow {
  line: number;
  index: number;
  cells: string[];
}

export const PREVIEW_ROWS = 20;
const SAMPLE_BYTES = 64 * 1024;
/**
 * A record larger than this is almost surely an unclosed quote swallowing the rest of the file;
 * stopping keeps memory flat. Cognito values are ≤ 2048 chars, so real rows are far smaller.
 */
const MAX_RECORD_CHARS = 1024 * 1024;

/** Maps Node's encoding labels for TextDecoder (WHATWG Encoding: utf-16le/utf-16be are built in). */
const DECODER_LABEL: Record<CsvEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

const SAVE_AS_UTF8 =
  'In Excel use File › Save As › "CSV UTF-8 (Comma delimited)"; in other tools export as CSV in UTF-8.';

/**
 * Reads the first 64 KiB and decides the encoding, or throws one clear AppError:
 * EmptyFile, FileNotText (binary, a spreadsheet workbook, a PDF…) or UnsupportedEncoding.
 * Returns the decoded sample too (BOM removed) for delimiter detection.
 */
export async function sniffEncoding(
  path: string,
): Promise<{ encoding: CsvEncoding; sample: string; complete: boolean }> {
  const handle = await open(path, 'r');
  let bytes: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const complete = bytes.length >= size;
  if (bytes.length === 0) throw emptyFile();
  rejectKnownBinary(bytes);

  let encoding: CsvEncoding;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) encoding = 'utf-8-bom';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else encoding = 'utf-8';

  if (encoding === 'utf-8') {
    const nuls = countByte(bytes, 0);
    if (nuls > 0) {
      // Text in UTF-16 without a BOM has a NUL in every other byte for ASCII; anything else with
      // NULs is binary. https://unicode.org/faq/utf_bom.html#bom10
      if (nuls >= bytes.length / 3 && looksLikeBomlessUtf16(bytes))
        throw new AppError(
          'UnsupportedEncoding',
          'This file looks like UTF-16 text without a byte order mark, which cannot be read reliably.',
          {
            hint: SAVE_AS_UTF8,
          },
        );
      throw notText();
    }
  }

  let sample: string;
  try {
    // stream: true — the sample may end in the middle of a multi-byte character.
    sample = new TextDecoder(DECODER_LABEL[encoding], { fatal: true }).decode(bytes, { stream: !complete });
  } catch {
    // Not valid UTF-8: mostly-ASCII bytes with a few high ones is a legacy code page (Windows-1252,
    // what Excel's plain "CSV" writes); anything else is not text.
    if (encoding === 'utf-8' && highByteShare(bytes) < 0.3 && controlShare(bytes.toString('latin1')) === 0)
      throw new AppError(
        'UnsupportedEncoding',
        'This file is not UTF-8: it looks like a legacy code page such as Windows-1252.',
        {
          hint: SAVE_AS_UTF8,
        },
      );
    throw notText();
  }
  if (sample.includes('\u0000') || controlShare(sample) > 0.01) throw notText();
  if (sample.trim().length === 0 && complete) throw emptyFile();
  return { encoding, sample, complete };
}

/**
 * Picks the delimiter among `,` `;` tab from the first records of the sample: the candidate that
 * occurs in the header and the same number of times in most following records (quotes honoured).
 * A file with a single column has none of them: it gets a comma.
 */
export function detectDelimiter(sample: string, complete: boolean): CsvDelimiter {
  const records = countDelimitersPerRecord(sample, complete, 20);
  let best: CsvDelimiter = ',';
  let bestScore = -1;
  for (const [i, delimiter] of DELIMITERS.entries()) {
    const counts = records.map((record) => record[i] ?? 0);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((count) => count === header).length;
    // Consistency first, then how many columns it yields; ties keep the earlier (more common) one.
    const score = consistent * 1000 + header;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function countDelimitersPerRecord(sample: string, complete: boolean, maxRecords: number): number[][] {
  const records: number[][] = [];
  let counts = [0, 0, 0];
  let inQuotes = false;
  let nonBlank = false;
  for (let i = 0; i < sample.length && records.length < maxRecords; i++) {
    const ch = sample[i];
    if (ch === '"') {
      inQuotes = !inQuotes; // an escaped "" toggles twice: net unchanged
      nonBlank = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (nonBlank) records.push(counts);
      counts = [0, 0, 0];
      nonBlank = false;
    } else if (!inQuotes) {
      const k = DELIMITERS.indexOf(ch as CsvDelimiter);
      if (k >= 0) counts[k] = (counts[k] ?? 0) + 1;
      if (ch !== ' ') nonBlank = true;
    }
  }
  // The sample's last record is whole only when the sample is the whole file.
  if (complete && nonBlank && records.length < maxRecords) records.push(counts);
  return records;
}

export interface ReadOptions {
  delimiter?: CsvDelimiter;
  encoding?: CsvEncoding;
  /** Resume: skip data rows before this 0-based index (they are still parsed, not yielded). */
  fromIndex?: number;
  /** Resume: skip data rows that start before this physical line. */
  fromLine?: number;
  signal?: AbortSignal;
  /** Called once with the header record (cells trimmed) and its line, before the first row. */
  onHeader?: (headers: string[], line: number) => void;
  /** Called with each chunk of the file's bytes as it is read: a checksum in the same pass. */
  onBytes?: (chunk: Buffer) => void;
}

/** What a source needs to know before its rows are read; inspectCsv finds it. */
interface Resolved {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

async function resolve(
  path: string,
  options: { delimiter?: CsvDelimiter; encoding?: CsvEncoding },
): Promise<Resolved> {
  if (options.delimiter !== undefined && !DELIMITERS.includes(options.delimiter))
    throw new AppError('InvalidDelimiter', `The delimiter must be a comma, a semicolon or a tab.`);
  if (options.encoding !== undefined && options.delimiter !== undefined)
    return { encoding: options.encoding, delimiter: options.delimiter };
  const sniffed = await sniffEncoding(path);
  return {
    encoding: options.encoding ?? sniffed.encoding,
    delimiter: options.delimiter ?? detectDelimiter(sniffed.sample, sniffed.complete),
  };
}

/**
 * Data rows of the file (the header record skipped), each with its 0-based index and the physical
 * line it starts on; blank lines and all-empty records (",,,") are skipped and not counted.
 * Streams with backpressure: the file is read only as fast as the consumer takes rows, and
 * breaking out of the loop closes the file. Throws AppError EmptyFile when there is no record.
 * A consumer that can take rows in bulk should use readCsvRowBatches: one await per row costs
 * about a second per million rows.
 */
export async function* readCsvRows(path: string, options: ReadOptions = {}): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvRowBatches(path, options)) for (const row of batch) yield row;
}

/**
 * The same rows as readCsvRows, handed over in arrays: all the records csv-parse produced from
 * one chunk of the file (about 64 KiB, a thousand rows or so), so the consumer awaits once per
 * chunk instead of once per row. Records are taken with the stream's documented `readable` +
 * `read()` pattern (https://csv.js.org/parse/api/stream/); memory stays at one chunk's rows.
 */
export async function* readCsvRowBatches(path: string, options: ReadOptions = {}): AsyncGenerator<CsvRow[]> {
  const resolved = await resolve(path, options);
  const utf8 = resolved.encoding === 'utf-8' || resolved.encoding === 'utf-8-bom';
  const parser = parse({
    delimiter: resolved.delimiter,
    // UTF-8 bytes go to the parser as they are (checked, not re-encoded); it drops the BOM itself.
    bom: utf8,
    // Every physical line break ends a record outside quotes (csv-parse otherwise takes the first
    // one it meets for the whole file), so a record spans 1 + the line breaks inside its quoted
    // cells, which keep them verbatim: line numbers come from the cells, without the `raw` option
    // (a copy of every byte) or re-scanning the text. CRLF is listed first so it counts once.
    record_delimiter: ['\r\n', '\n', '\r'],
    // Ragged rows are reported per row by the row builder, not fatal here.
    relax_column_count: true,
    // A stray quote inside an unquoted field (5" screen) is kept as text instead of failing the file.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const decode = utf8 ? new Utf8CheckStream() : new DecodeStream(resolved.encoding);
  const source = createReadStream(path, { highWaterMark: SAMPLE_BYTES });
  // The pipeline's promise carries the first error; the loop below only sees that the parser stopped.
  let settled = false;
  const onBytes = options.onBytes;
  const pipelineOptions = options.signal === undefined ? [] : [{ signal: options.signal }];
  const piped =
    onBytes === undefined
      ? pipeline(source, decode, parser, ...pipelineOptions)
      : pipeline(
          source,
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              onBytes(chunk);
              callback(null, chunk);
            },
          }),
          decode,
          parser,
          ...pipelineOptions,
        );
  const done = piped.then(
    () => null,
    (error: unknown) => error,
  );
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  void done.then(() => {
    settled = true;
    notify();
  });
  parser.on('readable', notify);
  parser.on('end', notify);
  parser.on('close', notify);

  let line = 1;
  let index = -1;
  const fromIndex = options.fromIndex ?? -1;
  const fromLine = options.fromLine ?? -1;
  let finished = false;
  try {
    for (;;) {
      let batch: CsvRow[] = [];
      let cells: string[] | null;
      while ((cells = parser.read() as string[] | null) !== null) {
        const start = line;
        line += recordLines(cells);
        if (isBlank(cells)) continue;
        if (index === -1) {
          index = 0;
          options.onHeader?.(cells.map(cleanHeader), start);
          continue;
        }
        const rowIndex = index++;
        if (rowIndex < fromIndex || start < fromLine) continue;
        batch.push({ line: start, index: rowIndex, cells });
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
        continue;
      }
      // Nothing buffered: the parser has ended, failed, or is waiting for the next chunk.
      if (parser.readableEnded || parser.destroyed || settled) break;
      await new Promise<void>((resume) => {
        wake = resume;
      });
    }
    finished = true;
  } finally {
    // The consumer stopped early (break, an error): close the file.
    if (!finished) parser.destroy();
  }
  // `line` is where the record being parsed when it failed starts.
  const failed = await done;
  if (failed !== null) throw translateError(failed, line);
  if (index === -1) throw emptyFile();
}

/** Physical lines a record spans: its own line plus the line breaks kept inside quoted cells. */
function recordLines(cells: string[]): number {
  let lines = 1;
  for (const cell of cells)
    if (cell.indexOf('\n') !== -1 || cell.indexOf('\r') !== -1) lines += countLineBreaks(cell);
  return lines;
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) {
    // Most cells start with a visible ASCII character: no trim (a new string) needed to know.
    const first = cell.charCodeAt(0);
    if (first > 32 && first < 127) return false;
    if (cell.trim() !== '') return false;
  }
  return true;
}

/**
 * What the import screen shows before anything else: encoding, delimiter, headers and the first
 * rows. Reads only as far as the preview unless `countRows` (a full streaming pass) is asked for.
 */
export async function inspectCsv(
  path: string,
  options: {
    delimiter?: CsvDelimiter;
    encoding?: CsvEncoding;
    countRows?: boolean;
    signal?: AbortSignal;
  } = {},
): Promise<CsvInspection> {
  const resolved = await resolve(path, options);
  let headers: string[] = [];
  let headerLine = 0;
  const preview: string[][] = [];
  let rows = 0;
  let ended = true;
  const rowsOf = readCsvRows(path, {
    ...resolved,
    ...(options.signal !== undefined && { signal: options.signal }),
    onHeader: (cells, line) => {
      headers = cells;
      headerLine = line;
    },
  });
  for await (const row of rowsOf) {
    rows++;
    if (preview.length < PREVIEW_ROWS) preview.push(row.cells);
    else if (options.countRows !== true) {
      ended = false;
      break;
    }
  }
  return { ...resolved, headers, headerLine, preview, ...(ended && { rowCount: rows }) };
}

/** SHA-256 of the file's bytes, streamed; the job store compares it before resuming a job. */
export async function fileChecksum(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Header cells: trimmed, and a BOM that survived a double-encoding (Excel re-saves) removed. */
function cleanHeader(cell: string): string {
  return cell.replace(/\uFEFF/g, '').trim();
}

/** CRLF, lone LF and lone CR each end one physical line (how editors number lines). */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) count++;
    else if (code === 13) {
      count++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return count;
}

/**
 * Passes UTF-8 bytes through unchanged, failing on the first invalid sequence (Buffer's isUtf8 is
 * SIMD-fast). A character split across chunks is held back until its last byte arrives.
 */
class Utf8CheckStream extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    const whole = bytes.subarray(0, cut);
    this.carry = Buffer.from(bytes.subarray(cut));
    if (!isUtf8(whole)) callback(decodeError(undefined));
    else callback(null, whole.length > 0 ? whole : undefined);
  }
  override _flush(callback: TransformCallback): void {
    if (this.carry.length > 0) callback(decodeError(undefined));
    else callback();
  }
}

/** Length of the prefix of `bytes` that ends on a character boundary (at most 3 bytes held back). */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Bytes → text with WHATWG TextDecoder (no iconv needed); the BOM is dropped by the decoder. */
class DecodeStream extends Transform {
  private readonly decoder: TextDecoder;
  constructor(encoding: CsvEncoding) {
    super({ decodeStrings: true });
    this.decoder = new TextDecoder(DECODER_LABEL[encoding], { fatal: true });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      callback(null, text.length > 0 ? text : undefined);
    } catch (error) {
      callback(decodeError(error));
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      const text = this.decoder.decode();
      callback(null, text.length > 0 ? text : undefined);
    } catch (error) {
      callback(decodeError(error));
    }
  }
}

function decodeError(cause: unknown): AppError {
  return new AppError(
    'UnsupportedEncoding',
    'Part of this file is not valid text in its encoding (a mix of encodings, or a damaged file).',
    {
      hint: SAVE_AS_UTF8,
      cause,
    },
  );
}

function translateError(error: unknown, recordLine: number): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof CsvError) {
    const where = ` (in the record starting on line ${recordLine})`;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE')
      return new AppError(
        'MalformedCsv',
        `A quoted field is never closed${where}, so the rest of the file would be read as one cell.`,
        {
          hint: 'Check that line for a stray double quote; quotes inside a quoted field are written twice ("").',
          cause: error,
        },
      );
    return new AppError('MalformedCsv', `The file is not valid CSV${where}: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}

function rejectKnownBinary(bytes: Buffer): void {
  const starts = (...magic: number[]): boolean => magic.every((byte, i) => bytes[i] === byte);
  // .xlsx/.ods are zip files; .xls is an OLE compound file. https://en.wikipedia.org/wiki/List_of_file_signatures
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0))
    throw new AppError(
      'FileNotText',
      'This is a spreadsheet workbook (or another zipped file), not a CSV file.',
      {
        hint: SAVE_AS_UTF8,
      },
    );
  if (starts(0x25, 0x50, 0x44, 0x46))
    throw new AppError('FileNotText', 'This is a PDF, not a CSV file.', { hint: SAVE_AS_UTF8 });
}

function notText(): AppError {
  return new AppError(
    'FileNotText',
    'This file is not text: it contains binary data, so it cannot be a CSV file.',
    {
      hint: `Choose the CSV export of your user list. ${SAVE_AS_UTF8}`,
    },
  );
}

function emptyFile(): AppError {
  return new AppError('EmptyFile', 'This file is empty: there is no header line and no users.', {
    hint: 'Choose a CSV file whose first line names the columns (for example username,email,phone_number) with one user per line after it.',
  });
}

function countByte(bytes: Buffer, value: number): number {
  let count = 0;
  for (const byte of bytes) if (byte === value) count++;
  return count;
}

function looksLikeBomlessUtf16(bytes: Buffer): boolean {
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  const half = bytes.length / 2;
  return evenNul > half * 0.8 || oddNul > half * 0.8;
}

function highByteShare(bytes: Buffer): number {
  let high = 0;
  for (const byte of bytes) if (byte >= 0x80) high++;
  return high / bytes.length;
}

/** Share of C0 control characters other than tab, LF, CR and form feed. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 127) controls++;
  }
  return controls / text.length;
}
