/**
 * Reads a password or client secret from stdin — the only way besides an environment variable
 * that keeps it out of `ps`, shell history and our own files.
 */
import type { Readable } from 'node:stream';
import { UsageError } from './usage-error';

/** Enough for any Cognito password (≤ 256) or client secret; more means the wrong thing was piped. */
const MAX_BYTES = 4096;

export async function readSecretFromStdin(stdin: Readable, what: string): Promise<string> {
  if ((stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError(
      `Pipe the ${what} into stdin (e.g. \`printf %s "$VAR" | signup-desk …\`); typing it on a terminal would echo it.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BYTES) throw new UsageError(`The ${what} on stdin is longer than ${MAX_BYTES} bytes.`);
    chunks.push(buffer);
  }
  // `echo "$SECRET" |` adds one newline: drop exactly one line ending, keep everything else so the
  // sign-up rules (no whitespace) can report a stray space instead of us silently trimming it.
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text.length === 0) throw new UsageError(`No ${what} on stdin.`);
  return text;
}
