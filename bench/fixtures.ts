/**
 * Generated users for the bench: the same row for the same (prefix, index) whether it goes into a
 * CSV file for the engine or straight into a bare SDK loop, so both sides send identical requests.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export const CSV_HEADER = ['username', 'email', 'phone_number', 'given_name', 'family_name'] as const;
export const BENCH_PASSWORD = 'Bench-Pass-2024!';

export interface UserRow {
  username: string;
  email: string;
  phone: string;
  givenName: string;
  familyName: string;
}

const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];

export function userRow(prefix: string, index: number): UserRow {
  const username = `${prefix}-${String(index).padStart(7, '0')}`;
  return {
    username,
    email: `${username}@example.com`,
    phone: `+4479${String(index).padStart(8, '0')}`,
    givenName: GIVEN[index % GIVEN.length] as string,
    familyName: FAMILY[index % FAMILY.length] as string,
  };
}

/**
 * The kinds of bad row the files carry, one after another, every `badEvery` rows: each must be
 * caught by the checks (never sent), so "valid rows" is known in advance.
 */
const BAD_KINDS = ['excel-phone', 'space-in-username', 'duplicate-username', 'empty-username'] as const;

function badRow(kind: (typeof BAD_KINDS)[number], row: UserRow, previous: UserRow): UserRow {
  switch (kind) {
    case 'excel-phone':
      return { ...row, phone: '4.41E+11' };
    case 'space-in-username':
      return { ...row, username: `bad ${row.username}` };
    case 'duplicate-username':
      // Pools created since 2020 are case-insensitive: the upper-case copy is the same user.
      return { ...row, username: previous.username.toUpperCase() };
    case 'empty-username':
      return { ...row, username: '' };
  }
}

export interface GeneratedFile {
  path: string;
  rows: number;
  valid: number;
  invalid: number;
  bytes: number;
}

function csvLine(row: UserRow): string {
  // No value needs quoting (no commas, quotes or line breaks), as in a typical export.
  return `${row.username},${row.email},${row.phone},${row.givenName},${row.familyName}\n`;
}

/**
 * Writes `rows` users to `path` (header first); with `badEvery` > 0, every badEvery-th row (the
 * first at badEvery - 1) is a bad one. Streams in ~1 MB chunks, so a million rows need no memory.
 */
export async function writeUsersCsv(
  path: string,
  options: { rows: number; prefix: string; badEvery?: number },
): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = `${CSV_HEADER.join(',')}\n`;
  let invalid = 0;
  let previous = userRow(options.prefix, 0);
  const badEvery = options.badEvery ?? 0;
  for (let i = 0; i < options.rows; i++) {
    let row = userRow(options.prefix, i);
    if (badEvery > 0 && i % badEvery === badEvery - 1) {
      row = badRow(BAD_KINDS[invalid % BAD_KINDS.length] as (typeof BAD_KINDS)[number], row, previous);
      invalid++;
    } else previous = row;
    chunk += csvLine(row);
    if (chunk.length > 1_000_000) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await finished(out);
  return { path, rows: options.rows, valid: options.rows - invalid, invalid, bytes };
}
