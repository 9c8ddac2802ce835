/**
 * Who runs a job, for every engine on one data folder (the app's, each CLI's): a job is sent by
 * the process that holds its claim, and by no other. A claim is taken in ONE immediate
 * transaction before anything is awaited (hashing the file, reading the keychain), so of two
 * resumes started together exactly one gets it and the other is told where the job runs.
 *
 * A claim is held with a lease its holder renews every RENEW_EVERY_MS; a holder that stops
 * renewing (a crash, a kill, a frozen process) loses it when the lease ends, and the job becomes
 * 'interrupted', resumable by anyone. Only the lease counts: nothing asks whether a pid is alive
 * (a pid is reused, and a process in another pid namespace answers no signal). The holder's pid
 * and start time name it in messages and tell this process's own claims apart.
 *
 * The holder stops sending LEASE_MARGIN_MS before its lease ends unless it renewed it, so it has
 * stopped before another process may take over; every write of the holder names its claim's
 * token, so once taken over it can no longer renew, release or end the job.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import { transaction, type Database } from '../store/database';
import type { Scheduler } from './engine/timing';
import { prepareLeaseQueries, type OwnerIdentity } from './job-lease-queries';
import type { JobOwner, JobRecord, JobState } from './job-rows';
import { storableStopReason, type StopReason } from './job-settings';

export type { OwnerIdentity } from './job-lease-queries';

/** How long a claim holds without a renewal. */
export const LEASE_MS = 10_000;
export const RENEW_EVERY_MS = 2_000;
/** The holder's own deadline comes this much before the lease's end (one missed renewal's worth). */
export const LEASE_MARGIN_MS = 2_000;

let thisProcess: OwnerIdentity | undefined;

/**
 * This process: its pid and its start time, taken once (so it compares equal for the life of the
 * process) and portable (no /proc): now minus the uptime, to the millisecond.
 */
export function processIdentity(): OwnerIdentity {
  thisProcess ??= { pid: process.pid, startedAt: Math.round(Date.now() - process.uptime() * 1000) };
  return thisProcess;
}

/** One claim on one job, renewed until it is released, ended, taken over or lapses. */
export interface Lease {
  readonly jobId: string;
  readonly owner: JobOwner;
  /** Null while this process may send for the job; once the claim lapsed or was taken over, why not. */
  lapsed(): AppError | null;
  /** Called (once) when a renewal finds the claim lapsed or taken over. */
  onLapse(listener: (reason: AppError) => void): void;
  /** Gives the job up, leaving its state as it is. */
  release(): void;
  /** The run's end state and the claim's end in one statement; false (nothing written) once taken over. */
  finish(state: JobState, stopReason: StopReason | null): boolean;
}

export interface JobLeases {
  /** A claim for a job this process creates now (committed with the job, then held). */
  newOwner(): JobOwner;
  /** Starts renewing a claim already committed. */
  hold(jobId: string, owner: JobOwner): Lease;
  /**
   * Takes the job, or throws JobRunning naming who holds it (JobNotFound when there is none).
   * `check` runs in the same transaction on the claimed job: a throw undoes the claim.
   */
  claim(jobId: string, check?: (job: JobRecord) => void): { lease: Lease; job: JobRecord };
  /** Jobs left 'running' whose lease ended become 'interrupted' (a write only when there are some). */
  interruptLapsed(): void;
  /** A "retry failed rows" job of this job that someone holds. */
  heldChild(jobId: string): JobOwner | null;
  /** Whether a claim is this process's own. */
  isOwn(owner: JobOwner): boolean;
}

export interface JobLeasesOptions {
  db: Database;
  now: () => number;
  /** The renewals' timers. */
  timers: Scheduler;
  identity: OwnerIdentity;
  /** Reads a job, throwing JobNotFound when there is none. */
  getJob: (jobId: string) => JobRecord;
}

/** Throws why the claim was lost, if it was. */
export function assertHeld(lease: Lease): void {
  const lapsed = lease.lapsed();
  if (lapsed !== null) throw lapsed;
}

/**
 * The awaits between a claim and its run (the file's checksum, the keychain): the claim is given
 * up when they fail, and when it lapsed meanwhile.
 */
export async function whileClaimed<T>(lease: Lease, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    assertHeld(lease);
    return result;
  } catch (error) {
    lease.release();
    throw error;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "10:02", local time: when a claim was taken, as the user's clock shows it. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The refusal when someone else holds the job (or, `what`, its retry). */
export function heldError(owner: JobOwner, own: boolean, what = 'This job is running'): AppError {
  const where = own ? 'in this window' : 'in another window or process';
  return new AppError('JobRunning', `${what} ${where} (pid ${owner.pid}, since ${clockTime(owner.since)}).`, {
    hint: `If that process has ended, its claim lapses within ${LEASE_MS / 1000} seconds: try again then.`,
  });
}

function lapsedError(): AppError {
  return new AppError(
    'JobRunning',
    `This process could not renew its claim on the job for ${(LEASE_MS - LEASE_MARGIN_MS) / 1000} seconds and stopped sending, so that no two processes send its rows.`,
    { hint: 'Resume the job to go on.' },
  );
}

function takenOverError(owner: JobOwner): AppError {
  const by = `Another window or process (pid ${owner.pid}, since ${clockTime(owner.since)})`;
  return new AppError('JobRunning', `${by} took this job over after this process's claim lapsed.`, {
    hint: 'It sends the rest of the rows; this one stopped.',
  });
}

export function createJobLeases(options: JobLeasesOptions): JobLeases {
  const { db, now, timers, identity, getJob } = options;
  const queries = prepareLeaseQueries(db);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const isOwn = (owner: JobOwner): boolean =>
    owner.pid === identity.pid && owner.startedAt === identity.startedAt;

  const newOwner = (): JobOwner => {
    const since = now();
    return { token: randomUUID(), ...identity, since, leaseUntil: since + LEASE_MS };
  };

  const hold = (jobId: string, owner: JobOwner): Lease => {
    let until = owner.leaseUntil;
    let ended = false;
    let lost: AppError | null = null;
    let timer: unknown = null;
    const listeners: Array<(reason: AppError) => void> = [];

    const stopTimer = (): void => {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    };
    const lose = (reason: AppError): AppError => {
      if (lost === null && !ended) {
        lost = reason;
        stopTimer();
        for (const listener of listeners) listener(reason);
      }
      return lost ?? reason;
    };
    const pastDeadline = (): boolean => now() >= until - LEASE_MARGIN_MS;
    const renew = (): void => {
      timer = null;
      if (ended || lost !== null) return;
      // Too late to renew: another process may be about to take the job (a stalled event loop).
      if (pastDeadline()) {
        lose(lapsedError());
        return;
      }
      const next = now() + LEASE_MS;
      let renewed: boolean;
      try {
        renewed = queries.renew(jobId, owner.token, next);
      } catch {
        // The database was busy past its timeout: the next renewal tries again, within the margin.
        timer = timers.setTimeout(renew, RENEW_EVERY_MS);
        return;
      }
      if (!renewed) {
        // Another process holds it now, or a sweep found the lease ended and freed the job.
        const holder = queries.ownerOf(jobId);
        lose(holder === null ? lapsedError() : takenOverError(holder));
        return;
      }
      until = next;
      timer = timers.setTimeout(renew, RENEW_EVERY_MS);
    };
    timer = timers.setTimeout(renew, RENEW_EVERY_MS);

    const end = (): void => {
      ended = true;
      stopTimer();
    };
    return {
      jobId,
      owner,
      lapsed() {
        if (lost === null && !ended && pastDeadline()) lose(lapsedError());
        return lost;
      },
      onLapse(listener) {
        listeners.push(listener);
      },
      release() {
        end();
        queries.release(jobId, owner.token);
      },
      finish(state, stopReason) {
        end();
        return queries.finish(jobId, owner.token, state, storableStopReason(stopReason), iso(now()));
      },
    };
  };

  const interruptLapsed = (): void => {
    const at = now();
    if (queries.hasLapsedRunning(at)) queries.interruptLapsed(at, iso(at));
  };

  // A claim of this very process found by a new engine is left over (one engine per process and
  // database: this one holds nothing yet), like a crashed process's: it holds nothing.
  if (queries.isOwnerOfAny(identity)) queries.voidOwnedBy(identity, iso(now()));
  interruptLapsed();

  return {
    newOwner,
    hold,
    claim(jobId, check) {
      const owner = newOwner();
      // BEGIN IMMEDIATE takes the write lock first, so the claim, the checks and the read of the
      // claimed job are one step for every connection: https://www.sqlite.org/lang_transaction.html
      const job = transaction(db, () => {
        if (!queries.claim(jobId, owner, iso(owner.since))) {
          const holder = getJob(jobId).owner;
          if (holder === null) throw new Error(`Job ${jobId} could not be claimed.`);
          throw heldError(holder, isOwn(holder));
        }
        const claimed = getJob(jobId);
        check?.(claimed);
        return claimed;
      });
      return { lease: hold(jobId, owner), job };
    },
    interruptLapsed,
    heldChild: (jobId) => queries.heldChild(jobId, now()),
    isOwn,
  };
}
