/**
 * Reading a user CSV from disk: streaming its records with their physical line numbers, once
 * csv-sniff.ts has found its encoding and delimiter. Memory stays flat whatever the file's size: only a
 * 64 KiB sample and the record being parsed are held.
 *
 * Parsing is csv-parse's (RFC 4180 quoting, quoted commas and newlines):
 * https://csv.js.org/parse/options/
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { AppError } from '../errors';
import { openRegularFile } from '../files/regular-file';
import { DecodeStream, Utf8CheckStream } from './csv-decode';
import {
  DELIMITERS,
  detectDelimiter,
  emptyFile,
  SAMPLE_BYTES,
  unreadableError,
  sniffEncoding,
  type CsvDelimiter,
  type CsvEncoding,
} from './csv-sniff';

export { detectDelimiter, type CsvDelimiter, type CsvEncoding } from './csv-sniff';

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
/**
 * A record larger than this is almost surely an unclosed quote swallowing the rest of the file;
 * stopping keeps memory flat. Cognito values are ≤ 2048 chars, so real rows are far smaller.
 */
const MAX_RECORD_CHARS = 1024 * 1024;

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
  // The stream reads the descriptor openRegularFile checked (a regular file, never a pipe or device).
  const { handle } = await openRegularFile(path);
  const source = createReadStream(path, { fd: handle, highWaterMark: SAMPLE_BYTES });
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
  if (failed !== null) throw translateError(unreadableError(path, failed), line);
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
  const { handle } = await openRegularFile(path);
  await pipeline(createReadStream(path, { fd: handle }), hash);
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

function translateError(error: unknown, recordLine: number): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof CsvError) {
    const where = ` (in the record starting on line ${recordLine})`;
    if (error.code === 'CSV_MAX_RECORD_SIZE')
      return new AppError(
        'RecordTooLong',
        `A row is longer than ${MAX_RECORD_CHARS} characters${where} — no user's row is that long, so the file is not a user list or a quote is never closed.`,
        {
          hint: 'Check that line for a stray double quote (quotes inside a quoted field are written twice ""), or choose the right file.',
          cause: error,
        },
      );
    if (error.code === 'CSV_QUOTE_NOT_CLOSED')
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
