/**
 * The job the Import screen is showing — one at a time, started from a CSV, from the QA seeder or
 * resumed from the start-up offer — and its live state, fed by the batched push events.
 */
import type { ImportProgressView, JobView, LogEntry } from '@shared/contract';
import { createEventBatcher, type Batch, type EventBatcher } from './event-batcher';

/** How many finished rows the live list keeps (the full record is the report and the log). */
export const LIVE_ROWS = 100;

export type JobOrigin = 'import' | 'seed' | 'resume' | 'retry';

export interface JobMeta {
  title: string;
  passwordKind: JobView['passwordKind'];
  origin: JobOrigin;
}

class JobSession {
  jobId = $state<string | null>(null);
  meta = $state<JobMeta | null>(null);
  progress = $state<ImportProgressView | null>(null);
  /** Newest first. $state.raw: the list is replaced per frame, never mutated in place. */
  rows = $state.raw<LogEntry[]>([]);
  /** Rows finished while this screen watched (the list keeps only LIVE_ROWS of them). */
  rowsSeen = $state(0);

  #batcher: EventBatcher | null = null;

  #connect(): EventBatcher {
    if (this.#batcher !== null) return this.#batcher;
    const batcher = createEventBatcher({ apply: (batch) => this.#apply(batch), maxRows: LIVE_ROWS });
    // The session lives as long as the window, so its subscriptions are never dropped.
    window.api.events.onImportProgress((payload) => batcher.onProgress(payload));
    window.api.events.onImportRow((payload) => batcher.onRow(payload));
    this.#batcher = batcher;
    return batcher;
  }

  #apply(batch: Batch): void {
    if (batch.progress !== null) this.progress = batch.progress;
    if (batch.rows.length > 0) this.rows = [...batch.rows].reverse().concat(this.rows).slice(0, LIVE_ROWS);
    this.rowsSeen += batch.rowCount;
  }

  /**
   * Runs `start` (import.start, seed.start, import.retryFailed) and follows the job it returns;
   * events that arrive before its id is known are held and replayed.
   */
  async begin(meta: JobMeta, start: () => Promise<{ jobId: string }>): Promise<string> {
    const batcher = this.#connect();
    batcher.expectNewJob();
    try {
      const { jobId } = await start();
      this.#reset();
      this.meta = meta;
      this.jobId = jobId;
      batcher.follow(jobId);
      return jobId;
    } catch (error) {
      batcher.follow(this.jobId);
      throw error;
    }
  }

  /** Follows an existing job (resumed or still running) from its current view. */
  show(view: JobView, origin: JobOrigin = 'resume'): void {
    const batcher = this.#connect();
    this.#reset();
    this.meta = { title: view.fileName, passwordKind: view.passwordKind, origin };
    this.jobId = view.id;
    this.progress = view.progress;
    batcher.follow(view.id);
  }

  /** A snapshot from a call (pause, resume, cancel) — newer than any event already applied. */
  update(view: JobView): void {
    if (view.id === this.jobId) this.progress = view.progress;
  }

  clear(): void {
    this.#batcher?.follow(null);
    this.#reset();
    this.jobId = null;
    this.meta = null;
  }

  #reset(): void {
    this.progress = null;
    this.rows = [];
    this.rowsSeen = 0;
  }
}

export const jobSession = new JobSession();
