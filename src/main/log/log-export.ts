/**
 * Exports the log entries a filter selects, streamed page by page (keyset) so a million entries
 * never sit in memory. CSV cells a spreadsheet would run as a formula are neutralised
 * (https://owasp.org/www-community/attacks/CSV_Injection); JSON is one array.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { LogEntry, LogQuery } from '@shared/contract';
import type { LogStore } from './log-store';

export const EXPORT_COLUMNS: ReadonlyArray<keyof LogEntry> = [
  'id',
  'time',
  'source',
  'jobId',
  'rowNumber',
  'profileName',
  'region',
  'userPoolId',
  'clientId',
  'username',
  'outcome',
  'userSub',
  'userConfirmed',
  'deliveryMedium',
  'destination',
  'attributeName',
  'errorName',
  'errorMessage',
  'requestId',
  'note',
];

export type ExportFilters = Omit<LogQuery, 'before' | 'limit'>;

/** Writes every matching entry, newest first, to `path`; returns how many. */
export async function exportLog(
  log: Pick<LogStore, 'query'>,
  filters: ExportFilters,
  format: 'csv' | 'json',
  path: string,
): Promise<number> {
  const out = createWriteStream(path, { mode: 0o600 });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let count = 0;
  if (format === 'csv') await write(stringify([EXPORT_COLUMNS]));
  else await write('[');
  let before: number | undefined;
  for (;;) {
    const page = log.query({ ...filters, limit: 500, ...(before !== undefined && { before }) });
    for (const entry of page.entries) {
      if (format === 'csv') {
        const cells = EXPORT_COLUMNS.map((key) => {
          const value = entry[key];
          return value === undefined ? '' : String(value);
        });
        await write(stringify([cells], { escape_formulas: true }));
      } else {
        await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`);
      }
      count++;
    }
    if (page.nextCursor === null) break;
    before = page.nextCursor;
  }
  if (format === 'json') await write(count === 0 ? ']\n' : '\n]\n');
  out.end();
  await once(out, 'finish');
  return count;
}
