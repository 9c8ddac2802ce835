/**
 * A report line is written after its row's outcome commits, so a kill can cut off the last lines
 * (or leave half of one) while the store keeps every outcome. Before a run appends to a report,
 * this puts back what the store knows and the report lacks, so the report accounts for every row.
 * A generated password is never stored: a row whose line was lost says so instead.
 */
import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { LogEntry } from '@shared/contract';
import type { JobStore, StoredRow } from './job-store';
import type { ReportRow, ReportWriter } from './report-writer';

export const LOST_PASSWORD_NOTE =
  'Created, but its generated password was lost when the job was interrupted: reset this user’s password.';

const CHUNK = 1000;

/** Cuts a half-written last line (the report's lines end in CRLF), so appending starts clean. */
export async function dropPartialLastLine(path: string): Promise<void> {
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  if (size === 0) return;
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    let end = size;
    // Walk back until a CRLF, reading at most what is needed (a line is far shorter than 64 KiB).
    while (end > 0) {
      const start = Math.max(0, end - tail.length);
      const { bytesRead } = await handle.read(tail, 0, end - start, start);
      const chunk = tail.subarray(0, bytesRead);
      const at = chunk.lastIndexOf('\r\n');
      if (at !== -1) {
        const cut = start + at + 2;
        if (cut !== size) await truncate(path, cut);
        return;
      }
      end = start;
    }
    await truncate(path, 0);
  } finally {
    await handle.close();
  }
}

/** The data-row indexes a report already holds. */
export async function reportedIndexes(path: string): Promise<Set<number>> {
  const seen = new Set<number>();
  if ((await stat(path).catch(() => null)) === null) return seen;
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: true, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    const index = Number(record['row_index']);
    if (Number.isInteger(index)) seen.add(index);
  }
  return seen;
}

function lineFor(row: StoredRow, entry: LogEntry | null, includePasswords: boolean): ReportRow {
  const outcome = row.state === 'sending' ? 'failed' : row.state;
  return {
    line: row.line,
    index: row.index,
    username: row.username,
    outcome,
    ...(entry?.userSub !== undefined && { userSub: entry.userSub }),
    ...(entry?.userConfirmed !== undefined && { userConfirmed: entry.userConfirmed }),
    ...(entry?.deliveryMedium !== undefined && { deliveryMedium: entry.deliveryMedium }),
    ...(entry?.destination !== undefined && { deliveryDestination: entry.destination }),
    ...(row.errorName !== null && { errorName: row.errorName }),
    ...(row.errorMessage !== null && { errorMessage: row.errorMessage }),
    ...(includePasswords && outcome === 'created' && { errorMessage: LOST_PASSWORD_NOTE }),
  };
}

/**
 * Writes a line for every row that has an outcome in the store but none in the report. Call it
 * after dropPartialLastLine() and before the run's first new line. Returns how many it wrote.
 */
export async function restoreMissingLines(options: {
  jobId: string;
  reportPath: string;
  store: Pick<JobStore, 'rowsWithOutcomeAfter'>;
  entry: (logId: number) => LogEntry | null;
  writer: ReportWriter;
  includePasswords: boolean;
}): Promise<number> {
  const present = await reportedIndexes(options.reportPath);
  let restored = 0;
  let after = -1;
  for (;;) {
    const rows = options.store.rowsWithOutcomeAfter(options.jobId, after, CHUNK);
    for (const row of rows) {
      if (present.has(row.index)) continue;
      const entry = row.logId === null ? null : options.entry(row.logId);
      await options.writer.write(lineFor(row, entry, options.includePasswords));
      restored++;
    }
    if (rows.length < CHUNK) return restored;
    after = rows[rows.length - 1]?.index ?? after;
  }
}
