/**
 * A CSV file's bytes as the parser takes them: UTF-8 checked and passed through as bytes, UTF-16
 * decoded to text; invalid sequences fail the read with one clear error.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { AppError } from '../errors';
import type { CsvEncoding } from './csv-sniff';

/** The fix for every encoding problem: what to tell the user. */
export const SAVE_AS_UTF8 =
  'In Excel use File › Save As › "CSV UTF-8 (Comma delimited)"; in other tools export as CSV in UTF-8.';

/** Maps Node's encoding labels for TextDecoder (WHATWG Encoding: utf-16le/utf-16be are built in). */
export const DECODER_LABEL: Record<CsvEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/**
 * Passes UTF-8 bytes through unchanged, failing on the first invalid sequence (Buffer's isUtf8 is
 * SIMD-fast). A character split across chunks is held back until its last byte arrives.
 */
export class Utf8CheckStream extends Transform {
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
export class DecodeStream extends Transform {
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

export function decodeError(cause: unknown): AppError {
  return new AppError(
    'UnsupportedEncoding',
    'Part of this file is not valid text in its encoding (a mix of encodings, or a damaged file).',
    {
      hint: SAVE_AS_UTF8,
      cause,
    },
  );
}
