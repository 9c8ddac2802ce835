/**
 * A job's progress figures, and their throttled emission: at most one event per interval per job,
 * with one trailing update so the last change is never lost. Clock and timers are injected.
 */
import type { ImportProgressView } from '@shared/contract';
import type { JobRecord } from '../job-store';
import type { StopReason } from '../retry-policy';
import { UNCAPPED_RATE } from './send-settings';
import type { OutcomeCounts, Run } from './run-state';
import type { Scheduler } from './timing';

export type ImportProgress = ImportProgressView;

export const PROGRESS_INTERVAL_MS = 100;

/**
 * A running job's figures live in its run (no table read per progress event); the stored job's
 * elapsed time and stop reason change only when a run ends. `stored` is read only without a run.
 */
export function progressOf(
  run: Run | undefined,
  stored: () => { job: JobRecord; counts: OutcomeCounts },
  t: number,
): ImportProgress {
  if (run === undefined) {
    const { job, counts } = stored();
    return figures(counts, job.totalRows ?? 0, job.validRows ?? 0, {
      ratePerSecond: 0,
      allowedRate: UNCAPPED_RATE,
      elapsedMs: job.elapsedMs,
      state: job.state,
      stopReason: job.stopReason,
    });
  }
  while (run.starts.length > 0 && t - (run.starts[0] ?? 0) >= 1000) run.starts.shift();
  const share = run.quota?.allowance();
  return figures(run.counts, run.totals?.rows ?? 0, run.totals?.valid ?? 0, {
    ...(share !== undefined && { sharedWith: share.sharedWith, quota: share.quota }),
    ratePerSecond: run.starts.length,
    allowedRate: run.limiter?.rate() ?? UNCAPPED_RATE,
    elapsedMs: run.job.elapsedMs + (t - run.startedAt),
    state: 'running',
    stopReason: run.halt?.kind === 'stop' ? run.halt.reason : null,
  });
}

function figures(
  counts: OutcomeCounts,
  rows: number,
  valid: number,
  rest: Pick<ImportProgress, 'ratePerSecond' | 'allowedRate' | 'elapsedMs' | 'state'> &
    Partial<Pick<ImportProgress, 'sharedWith' | 'quota'>> & {
      stopReason: StopReason | null;
    },
): ImportProgress {
  const done = counts.created + counts.exists + counts.invalid + counts.failed;
  const { stopReason } = rest;
  return {
    rows,
    valid,
    created: counts.created,
    exists: counts.exists,
    invalid: counts.invalid,
    failed: counts.failed,
    remaining: Math.max(0, rows - done),
    ratePerSecond: rest.ratePerSecond,
    allowedRate: rest.allowedRate,
    ...(rest.sharedWith !== undefined && { sharedWith: rest.sharedWith }),
    ...(rest.quota !== undefined && { quota: rest.quota }),
    elapsedMs: rest.elapsedMs,
    state: rest.state,
    ...(stopReason !== null && { stopReason }),
  };
}

export interface ProgressEmitterOptions {
  now: () => number;
  scheduler: Scheduler;
  intervalMs: number;
  /** The figures to send, read when the event goes out. */
  read: (jobId: string) => ImportProgress;
  emit: (jobId: string, progress: ImportProgress) => void;
}

export interface ProgressEmitter {
  /** `force`: a state change, sent at once. */
  emit(jobId: string, force?: boolean): void;
  /** Drops the trailing updates still waiting (the engine closes). */
  cancelPending(): void;
}

export function createProgressEmitter(options: ProgressEmitterOptions): ProgressEmitter {
  const { now, scheduler, intervalMs } = options;
  const lastEmit = new Map<string, number>();
  const pendingEmit = new Map<string, unknown>();

  const emit = (jobId: string, force = false): void => {
    const t = now();
    const last = lastEmit.get(jobId) ?? Number.NEGATIVE_INFINITY;
    if (!force && t - last < intervalMs) {
      if (!pendingEmit.has(jobId)) {
        const timer = scheduler.setTimeout(
          () => {
            pendingEmit.delete(jobId);
            try {
              emit(jobId, true);
            } catch {
              // A late update after the database closed (app quit) is not worth crashing for.
            }
          },
          intervalMs - (t - last),
        );
        pendingEmit.set(jobId, timer);
      }
      return;
    }
    const pending = pendingEmit.get(jobId);
    if (pending !== undefined) scheduler.clearTimeout(pending);
    pendingEmit.delete(jobId);
    lastEmit.set(jobId, t);
    options.emit(jobId, options.read(jobId));
  };

  return {
    emit,
    cancelPending() {
      for (const timer of pendingEmit.values()) scheduler.clearTimeout(timer);
      pendingEmit.clear();
    },
  };
}
