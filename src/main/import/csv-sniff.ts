/**
 * What a CSV file is before its rows are read: its encoding (or one clear error for a workbook,
 * a PDF, binary data or an encoding we cannot read) and its delimiter, from its first 64 KiB.
 */
import { TextDecoder } from 'node:util';
import { AppError } from '../errors';
import { openRegularFile } from '../files/regular-file';
import { DECODER_LABEL, SAVE_AS_UTF8 } from './csv-decode';

/** `utf-8-bom` is UTF-8 that starts with EF BB BF (what Excel's "CSV UTF-8" writes). */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
export type CsvDelimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** The sample sniffed, and the size of the chunks the file is read in. */
export const SAMPLE_BYTES = 64 * 1024;

/**
 * Reads the first 64 KiB and decides the encoding, or throws one clear AppError:
 * EmptyFile, FileNotText (binary, a spreadsheet workbook, a PDF…) or UnsupportedEncoding.
 * Returns the decoded sample too (BOM removed) for delimiter detection.
 */
export async function sniffEncoding(
  path: string,
): Promise<{ encoding: CsvEncoding; sample: string; complete: boolean }> {
  // A regular file only, checked on its own descriptor: a pipe or a device is refused, not read.
  const { handle, size } = await openRegularFile(path).catch((error: unknown) => {
    throw unreadableError(path, error);
  });
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const complete = bytes.length >= size;
  if (bytes.length === 0) throw emptyFile();
  if (countByte(bytes, 0) === bytes.length)
    throw new AppError(
      'FileNotText',
      complete
        ? 'This file holds only zero bytes: it is empty of text, most likely a broken download or copy.'
        : 'This file starts with only zero bytes: it holds no text, most likely a broken download or copy.',
      { hint: 'Download or export the CSV file again and check that it opens in a text editor.' },
    );
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

/**
 * A file we may not open says so in words: a bare EACCES names neither the file nor what to do.
 * Other errors (ENOENT…) pass through as they are.
 */
export function unreadableError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'EACCES' && code !== 'EPERM') return error;
  return new AppError(
    'FileUnreadable',
    `SignUp Desk may not read ${path} (permission denied): its permissions do not let this user open it.`,
    {
      hint: 'Give your user read access to the file (or copy it somewhere you own), then try again.',
      cause: error,
    },
  );
}

export function emptyFile(): AppError {
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
