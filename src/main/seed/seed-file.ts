/**
 * QA seeding: N test users from a pattern, written as a CSV the import engine sends like any
 * other file — one engine, one job store, one report. The file holds no password: passwords are
 * shared (given at start, never stored) or generated per row into the report only.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { SeedPattern } from '@shared/contract';

export interface SeedTable {
  headers: string[];
  row(i: number): string[];
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(n|username|domain)\}/g, (_all, key: string) => values[key] ?? '');
}

export function seedTable(pattern: SeedPattern): SeedTable {
  const headers = ['username'];
  const email = pattern.emailTemplate !== undefined && pattern.emailTemplate !== '';
  const phone = pattern.phonePrefix !== undefined && pattern.phonePrefix !== '';
  if (email) headers.push('email');
  if (phone) headers.push('phone_number');
  const domain = pattern.domain !== undefined && pattern.domain !== '' ? pattern.domain : 'example.com';
  return {
    headers,
    row(i) {
      const n = String(pattern.start + i).padStart(pattern.pad, '0');
      const username = fill(pattern.usernameTemplate, { n, domain });
      const cells = [username];
      if (email) cells.push(fill(pattern.emailTemplate ?? '', { n, username, domain }));
      if (phone) {
        // E.164 allows 15 digits in all: keep the subscriber part to what the prefix leaves.
        const room = Math.max(1, 15 - ((pattern.phonePrefix ?? '+').length - 1));
        cells.push(
          `${pattern.phonePrefix ?? ''}${String(pattern.start + i).padStart(Math.min(room, 10), '0')}`,
        );
      }
      return cells;
    },
  };
}

export function previewSeed(
  pattern: SeedPattern,
  rows = 10,
): { headers: string[]; rows: string[][]; count: number } {
  const table = seedTable(pattern);
  const shown = Math.min(rows, pattern.count);
  return {
    headers: table.headers,
    rows: Array.from({ length: shown }, (_, i) => table.row(i)),
    count: pattern.count,
  };
}

/** Streams the pattern to `path` (up to 100,000 rows) without holding it in memory. */
export async function writeSeedFile(pattern: SeedPattern, path: string, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const table = seedTable(pattern);
  const out = createWriteStream(path, { mode: 0o600 });
  const write = async (cells: string[]): Promise<void> => {
    if (!out.write(stringify([cells]))) await once(out, 'drain');
  };
  await write(table.headers);
  for (let i = 0; i < pattern.count; i++) await write(table.row(i));
  out.end();
  await once(out, 'finish');
}
