/**
 * The per-job results CSV, written row by row as rows finish so a crash loses nothing already
 * written. Written with csv-stringify (https://csv.js.org/stringify/options/).
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export type ReportOutcome = 'created' | 'exists' | 'failed' | 'invalid' | 'skipped';

export interface ReportRow {
  /** Physical line in the source file where the row starts. */
  line: number;
  /** 0-based data row. */
  index: number;
  username: string;
  outcome: ReportOutcome;
  userSub?: string;
  userConfirmed?: boolean;
  deliveryMedium?: string;
  deliveryDestination?: string;
  errorName?: string;
  errorMessage?: string;
  /** Only written when the writer was created with includePasswords. */
  generatedPassword?: string;
}

export interface ReportWriter {
  readonly path: string;
  /** Appends one row; resolves once the row is accepted (waits when the disk is slower). */
  write(row: ReportRow): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export const REPORT_COLUMNS = [
  'line',
  'row_index',
  'username',
  'outcome',
  'user_sub',
  'user_confirmed',
  'delivery_medium',
  'delivery_destination',
  'error_name',
  'error_message',
] as const;

/**
 * Creates (or, with `append`, continues) a report. The file is created with mode 0600 — it may
 * hold generated passwords — and an existing file is narrowed to 0600 too.
 */
export async function createReportWriter(
  path: string,
  options: { includePasswords: boolean; append?: boolean },
): Promise<ReportWriter> {
  // Reports live under the data folder's reports/ (or wherever --report points): make the folder.
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const existing = options.append === true ? await stat(path).catch(() => null) : null;
  const continuing = existing !== null && existing.size > 0;
  const columns = [...REPORT_COLUMNS, ...(options.includePasswords ? ['generated_password'] : [])];
  const stringifier = stringify({
    header: !continuing,
    columns,
    // A BOM so Excel opens the report as UTF-8 (names with accents stay readable); only at the start.
    bom: !continuing,
    // OWASP CSV injection guidance (https://owasp.org/www-community/attacks/CSV_Injection): a cell
    // starting with = + - @ tab or CR gets a leading ' so a spreadsheet shows it instead of running
    // it. Accepted trade-off: a phone number +441234567890 is written as '+441234567890.
    escape_formulas: true,
    record_delimiter: 'windows',
  });
  const file = createWriteStream(path, { flags: continuing ? 'a' : 'w', mode: 0o600 });
  await once(file, 'open');
  await chmod(path, 0o600);
  stringifier.pipe(file);
  const done = finished(file);
  done.catch(() => undefined);

  return {
    path,
    async write(row) {
      const record = [
        String(row.line),
        String(row.index),
        row.username,
        row.outcome,
        row.userSub ?? '',
        row.userConfirmed === undefined ? '' : String(row.userConfirmed),
        row.deliveryMedium ?? '',
        row.deliveryDestination ?? '',
        row.errorName ?? '',
        row.errorMessage ?? '',
        ...(options.includePasswords ? [row.generatedPassword ?? ''] : []),
      ];
      if (!stringifier.write(record)) await Promise.race([once(stringifier, 'drain'), done]);
    },
    async close() {
      stringifier.end();
      await done;
    },
  };
}
