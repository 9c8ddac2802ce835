/**
 * Where a run's rows come from: the file read a chunk at a time ahead of the workers, each row
 * judged, rows with an outcome skipped, invalid ones recorded, and the valid rest reserved
 * ('sending') a batch at a time — in ONE transaction, before any of them is handed to a worker.
 * It also keeps what was reserved but never sent, which goes back to "not sent" when the run ends.
 */
import type { SignUpInput } from '@shared/signup-rules';
import { readCsvRowBatches, type CsvRow } from '../csv-source';
import type { JobRecord, JobStore, RowRef, RowState } from '../job-store';
import { generatePassword } from '../password-generator';
import { judgingPasswordSource } from '../password-source';
import type { BuiltRow, PasswordSource } from '../row-builder';
import { createRowJudge } from '../row-judge';
import type { OutcomeCommitter } from './outcome-committer';
import { invalidRecord, type JobEntryBase } from './outcome-records';
import type { Run } from './run-state';
import { capOf, reserveBatchSize } from './send-settings';

/** A row reserved for sending (or found 'sending' after an interruption), waiting for a worker. */
export interface ReadyRow {
  row: CsvRow;
  input: SignUpInput;
  /** Its password was generated for it (the report shows it). */
  passwordGenerated: boolean;
  /** Found 'sending' from an earlier run: its request may have reached Cognito. */
  interrupted: boolean;
}

type RowStore = Pick<JobStore, 'hasSelection' | 'inSelection' | 'statesBetween' | 'highestIndex'>;

/**
 * The job's judge: the shared row judge limited to the job's selection (a retry of failed rows);
 * null for a row outside it. Counting and sending use it alike, so the counts match what is sent.
 */
export function createJobRowJudge(
  store: RowStore,
  job: JobRecord,
  passwordSource: PasswordSource,
): (row: CsvRow) => BuiltRow | null {
  const judge = createRowJudge({
    mapping: job.settings.mapping,
    passwords: judgingPasswordSource(passwordSource),
    caseSensitiveUsernames: job.settings.caseSensitiveUsernames,
  });
  if (!store.hasSelection(job.id)) return judge;
  return (row) => (store.inSelection(job.id, row.index) ? judge(row) : null);
}

export function jobReadOptions(job: JobRecord): Parameters<typeof readCsvRowBatches>[1] {
  return { delimiter: job.settings.delimiter, encoding: job.settings.encoding };
}

export interface RowSourceOptions {
  run: Run;
  store: RowStore;
  committer: OutcomeCommitter;
  passwordSource: PasswordSource;
  entryBase: JobEntryBase;
  now: () => number;
}

export interface RowSource {
  /** The next row without waiting: null at the end (or a halt), undefined when a refill must be awaited. */
  takeReady(): ReadyRow | null | undefined;
  take(): Promise<ReadyRow | null>;
  /** A reserved row that was not sent after all (a halt before its request). */
  unsent(index: number): void;
  /** Waits for a reservation under way, hands back the rows never taken, closes the file. */
  close(): Promise<{ unsent: number[]; failure: unknown }>;
}

export function createRowSource(options: RowSourceOptions): RowSource {
  const { run, store, committer, passwordSource, entryBase, now } = options;
  const job = run.job;
  const settings = job.settings;
  const judge = createJobRowJudge(store, job, passwordSource);
  const generated = passwordSource.kind === 'generated' ? passwordSource.policy : null;
  /** Reserved ('sending') rows that were never sent: they go back to "not sent" at the end. */
  const unsent: number[] = [];

  // The file is read a chunk at a time (readCsvRowBatches: one await per chunk, not per row);
  // `parsed` holds the chunk's rows not yet judged.
  const rows = readCsvRowBatches(job.sourcePath, jobReadOptions(job))[Symbol.asyncIterator]();
  let parsed: CsvRow[] = [];
  let parsedHead = 0;
  const batchSize = reserveBatchSize(capOf(settings), settings.concurrency);
  const storedThrough = store.highestIndex(job.id) ?? -1;
  let ready: ReadyRow[] = [];
  let head = 0;
  let exhausted = false;
  let refilling: Promise<void> | null = null;

  const refill = async (): Promise<void> => {
    const batch: Array<{ row: CsvRow; built: BuiltRow }> = [];
    while (batch.length < batchSize) {
      if (parsedHead >= parsed.length) {
        const next = await rows.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        parsed = next.value;
        parsedHead = 0;
        continue;
      }
      const row = parsed[parsedHead++] as CsvRow;
      const built = judge(row);
      if (built !== null) batch.push({ row, built });
    }
    if (batch.length === 0) return;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const { row } of batch) {
      from = Math.min(from, row.index);
      to = Math.max(to, row.index);
    }
    // Above the highest row stored when the run began, no row has a record (this run stores
    // rows in file order, behind the reader): no query needed (a fresh job never asks).
    const states = from > storedThrough ? new Map<number, RowState>() : store.statesBetween(job.id, from, to);
    const reserve: RowRef[] = [];
    const fresh: ReadyRow[] = [];
    for (const { row, built } of batch) {
      const state = states.get(row.index);
      if (state !== undefined && state !== 'sending') continue;
      const { input } = built;
      if (built.problems.length > 0) {
        const message = built.problems.map((problem) => problem.message).join(' ');
        const time = new Date(now()).toISOString();
        await committer.add(
          invalidRecord(
            entryBase,
            { index: row.index, line: row.line, username: input.username, time },
            message,
          ),
        );
        continue;
      }
      // Generated passwords are drawn only for rows actually sent.
      if (generated !== null) input.password = generatePassword(generated);
      const interrupted = state === 'sending';
      if (!interrupted) reserve.push({ index: row.index, line: row.line, username: input.username });
      fresh.push({ row, input, passwordGenerated: generated !== null, interrupted });
    }
    committer.reserve(reserve);
    // Appended behind the rows still waiting (the next batch is reserved ahead, see takeReady()).
    ready = head >= ready.length ? fresh : [...ready.slice(head), ...fresh];
    head = 0;
  };

  /** A failed read ahead (the file became unreadable…) fails the next take(). */
  let refillFailure: { error: unknown } | null = null;
  const startRefill = (): Promise<void> =>
    (refilling ??= refill()
      .catch((error: unknown) => {
        refillFailure ??= { error };
        throw error;
      })
      .finally(() => {
        refilling = null;
      }));
  // The next batch is reserved while the workers still have `concurrency` rows to take, so no
  // worker waits for the file or the reservation's commit (one at a time, in file order).
  const refillBelow = settings.concurrency;

  const takeReady = (): ReadyRow | null | undefined => {
    if (refillFailure !== null) throw refillFailure.error;
    if (run.halt !== null) return null;
    const item = ready[head];
    if (item !== undefined) {
      head += 1;
      if (!exhausted && ready.length - head < refillBelow) void startRefill().catch(() => undefined);
      return item;
    }
    return exhausted && refilling === null ? null : undefined;
  };

  return {
    takeReady,
    async take() {
      for (;;) {
        const item = takeReady();
        if (item !== undefined) return item;
        await startRefill();
      }
    },
    unsent(index) {
      unsent.push(index);
    },
    async close() {
      let failure: unknown = null;
      // A reservation still under way when the workers stopped lands in `ready` first.
      await refilling?.catch((error: unknown) => {
        failure = error;
      });
      for (const item of ready.slice(head)) if (!item.interrupted) unsent.push(item.row.index);
      await rows.return?.(undefined);
      return { unsent, failure };
    },
  };
}
