/**
 * One run of a job (from a start or resume to its end) and its state machine: a run goes on until
 * it is halted — pause, cancel or a stop (Cognito's answer, or our side failing) — and its halt
 * says which state the job ends in. The first stop's reason is the one reported; a pause or cancel
 * gives way to a stop, and a pause to a cancel.
 */
import { AppError } from '../../errors';
import type { Lease } from '../job-lease';
import type { JobRecord, JobState, RowCounts } from '../job-store';
import type { QuotaSession } from '../../quota/quota-session';
import type { RateLimiter } from '../rate-limiter';
import type { StopReason } from '../retry-policy';
import { diskFullError, isDiskFull } from './disk-space';

export type Halt = { kind: 'pause' } | { kind: 'cancel' } | { kind: 'stop'; reason: StopReason };

export type OutcomeCounts = Pick<RowCounts, 'created' | 'exists' | 'invalid' | 'failed'>;

export interface Run {
  job: JobRecord;
  halt: Halt | null;
  /** Null when the job has no rate cap. */
  limiter: RateLimiter | null;
  /**
   * The run's share of its account's sign-up quota, with the other jobs on it (any process): it
   * keeps `limiter` at min(the job's cap, its share). Null without a cap or a budget.
   */
  quota: QuotaSession | null;
  /** Request start times of the last second or so, for the measured rate. */
  starts: number[];
  startedAt: number;
  done: Promise<void>;
  /** Committed outcomes (earlier runs included), kept in memory so progress reads no table. */
  counts: OutcomeCounts;
  /** Rows in scope and valid rows, once counted. */
  totals: { rows: number; valid: number } | null;
  /** This process's claim on the job (job-lease.ts): no request goes out once it has lapsed. */
  claim: Pick<Lease, 'lapsed'>;
}

/** Read through a call so TypeScript does not keep a narrowing from before an await. */
export function haltOf(run: Run): Halt | null {
  return run.halt;
}

/**
 * Whether nothing more may go out: a halt, or the claim lapsed (checked right before each request,
 * so a process that was frozen past its lease sends nothing once it wakes, before any timer runs).
 */
export function halted(run: Run): boolean {
  if (run.halt === null) {
    const lapsed = run.claim.lapsed();
    if (lapsed !== null) stopRun(run, internalReason(lapsed));
  }
  return run.halt !== null;
}

/** Stops the run unless it is stopping already (the first stop's reason is kept). */
export function stopRun(run: Run, reason: StopReason): void {
  if (haltOf(run)?.kind !== 'stop') run.halt = { kind: 'stop', reason };
}

/** A pause or cancel asked for by the user: a cancel overrides a pause, nothing overrides a stop. */
export function requestHalt(run: Run, how: Halt): void {
  if (run.halt === null || (how.kind === 'cancel' && run.halt.kind === 'pause')) run.halt = how;
}

export function finalState(halt: Halt | null): JobState {
  if (halt === null) return 'completed';
  switch (halt.kind) {
    case 'pause':
      return 'paused';
    case 'cancel':
      return 'cancelled';
    case 'stop':
      return 'stopped';
  }
}

/** Our side failed (the file became unreadable, the disk filled): the job stops with this reason. */
export function internalReason(error: unknown): StopReason {
  const shape = isDiskFull(error)
    ? diskFullError(error)
    : error instanceof Error
      ? error
      : new Error(String(error));
  return {
    category: 'internal',
    errorName: shape instanceof AppError ? shape.name : 'ImportFailed',
    message: shape.message,
    ...(shape instanceof AppError && shape.hint !== undefined && { hint: shape.hint }),
  };
}
