/**
 * Coalesces the import's push events so the screen updates at most once per animation frame
 * (progress streams are tagged with their job id and applied once per frame): at 200 rows/s main sends ~200 row events and ~10 progress events a
 * second; applying each one would re-render the live list hundreds of times a second.
 * Events for any job but the current one are dropped (a stale job id: an earlier job, or another
 * window's). While a start is in flight the job id is not known yet, so events are held (bounded)
 * and replayed for the id the start returns.
 */
import type { EventPayload, ImportProgressView, LogEntry } from '@shared/contract';

export interface Batch {
  /** The newest progress in this frame, or null when none arrived. */
  progress: ImportProgressView | null;
  /** Finished rows in arrival order, at most `maxRows` (the oldest are dropped first). */
  rows: LogEntry[];
  /** How many rows arrived, kept or not. */
  rowCount: number;
}

export interface Scheduler {
  request(run: () => void): number;
  cancel(handle: number): void;
}

export interface EventBatcher {
  onProgress(payload: EventPayload<'import:progress'>): void;
  onRow(payload: EventPayload<'import:row'>): void;
  /** Follows this job from now on; null follows none. Replays what was held for it. */
  follow(jobId: string | null): void;
  /** Holds events for an id not known yet (a start in flight) until follow() names it. */
  expectNewJob(): void;
  readonly jobId: string | null;
  dispose(): void;
}

const HELD_LIMIT = 2000;

export const animationFrames: Scheduler = {
  request: (run) => requestAnimationFrame(() => run()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export function createEventBatcher(options: {
  apply(batch: Batch): void;
  maxRows: number;
  scheduler?: Scheduler;
}): EventBatcher {
  const scheduler = options.scheduler ?? animationFrames;
  let jobId: string | null = null;
  let waiting = false;
  let held: Array<{
    kind: 'progress' | 'row';
    payload: EventPayload<'import:progress'> | EventPayload<'import:row'>;
  }> = [];
  let progress: ImportProgressView | null = null;
  let rows: LogEntry[] = [];
  let rowCount = 0;
  let frame: number | null = null;

  const flush = (): void => {
    frame = null;
    const batch: Batch = { progress, rows, rowCount };
    progress = null;
    rows = [];
    rowCount = 0;
    if (batch.progress !== null || batch.rowCount > 0) options.apply(batch);
  };
  const schedule = (): void => {
    frame ??= scheduler.request(flush);
  };
  const hold = (entry: (typeof held)[number]): void => {
    held.push(entry);
    if (held.length > HELD_LIMIT) held.shift();
  };

  const batcher: EventBatcher = {
    get jobId() {
      return jobId;
    },
    onProgress(payload) {
      if (waiting && jobId === null) return hold({ kind: 'progress', payload });
      if (payload.jobId !== jobId) return;
      progress = payload.progress;
      schedule();
    },
    onRow(payload) {
      if (waiting && jobId === null) return hold({ kind: 'row', payload });
      if (payload.jobId !== jobId) return;
      rows.push(payload.entry);
      rowCount++;
      if (rows.length > options.maxRows) rows.splice(0, rows.length - options.maxRows);
      schedule();
    },
    expectNewJob() {
      batcher.follow(null);
      waiting = true;
    },
    follow(id) {
      if (frame !== null) scheduler.cancel(frame);
      frame = null;
      progress = null;
      rows = [];
      rowCount = 0;
      jobId = id;
      const replay = held;
      held = [];
      waiting = false;
      if (id === null) return;
      for (const entry of replay) {
        if (entry.kind === 'progress') batcher.onProgress(entry.payload as EventPayload<'import:progress'>);
        else batcher.onRow(entry.payload as EventPayload<'import:row'>);
      }
    },
    dispose() {
      batcher.follow(null);
    },
  };
  return batcher;
}
