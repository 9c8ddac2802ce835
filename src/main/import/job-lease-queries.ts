/**
 * The statements of job claims (job-lease.ts), prepared once. A claim is the owner columns of
 * import_jobs: `owner` (the claim's token), `owner_pid` and `owner_started_at` (the holding
 * process), `owned_since` and `lease_until` (ms since the epoch). Every write names the claim's
 * token, so a holder whose claim was taken over can no longer renew, release or end the job.
 * No transactions here: job-lease.ts decides what commits together.
 */
import type { Database } from '../store/database';
import { queryGet } from '../store/query';
import { toOwner, type JobOwner, type JobRow, type JobState } from './job-rows';

/** A process: its pid, and its start time (ms) so that a later process given the same pid is another one. */
export interface OwnerIdentity {
  pid: number;
  startedAt: number;
}

/**
 * Nobody holds the job: no claim, a claim written before leases existed, or a lease that has
 * ended (its holder stopped renewing it: a crash, a kill, a frozen process). Only the lease's end
 * counts, never whether the holder's pid answers a signal.
 */
const free = (now: ':now' | '?'): string => `(owner IS NULL OR lease_until IS NULL OR lease_until <= ${now})`;
const FREE = free(':now');
const CLEAR =
  'owner = NULL, owner_pid = NULL, owner_started_at = NULL, owned_since = NULL, lease_until = NULL';
/** A job left 'running' by a holder that is gone was interrupted: it resumes from its rows. */
const INTERRUPTED = "state = CASE state WHEN 'running' THEN 'interrupted' ELSE state END";

type OwnerRow = Pick<JobRow, 'owner' | 'owner_pid' | 'owner_started_at' | 'owned_since' | 'lease_until'>;

export function prepareLeaseQueries(db: Database) {
  const claim = db.prepare(`UPDATE import_jobs SET owner = :token, owner_pid = :pid,
      owner_started_at = :startedAt, owned_since = :now, lease_until = :until, updated_at = :time,
      ${INTERRUPTED}
    WHERE id = :id AND ${FREE}`);
  const renew = db.prepare('UPDATE import_jobs SET lease_until = :until WHERE id = :id AND owner = :token');
  const release = db.prepare(`UPDATE import_jobs SET ${CLEAR} WHERE id = :id AND owner = :token`);
  const finish = db.prepare(`UPDATE import_jobs SET state = :state, stop_reason = :stopReason,
      updated_at = :time, ${CLEAR}
    WHERE id = :id AND owner = :token`);
  // Reads bind by position (the typed query helpers), writes by name.
  const lapsedRunning = db.prepare(
    `SELECT 1 FROM import_jobs WHERE state = 'running' AND ${free('?')} LIMIT 1`,
  );
  const interruptLapsed = db.prepare(`UPDATE import_jobs SET ${INTERRUPTED}, updated_at = :time, ${CLEAR}
    WHERE state = 'running' AND ${FREE}`);
  const ownedBy = db.prepare(
    'SELECT 1 FROM import_jobs WHERE owner_pid = ? AND owner_started_at = ? LIMIT 1',
  );
  const voidOwnedBy = db.prepare(`UPDATE import_jobs SET ${INTERRUPTED}, updated_at = :time, ${CLEAR}
    WHERE owner_pid = :pid AND owner_started_at = :startedAt`);
  const ownerOf = db.prepare(
    'SELECT owner, owner_pid, owner_started_at, owned_since, lease_until FROM import_jobs WHERE id = ?',
  );
  const heldChild = db.prepare(`SELECT owner, owner_pid, owner_started_at, owned_since, lease_until
    FROM import_jobs WHERE parent_job_id = ? AND NOT ${free('?')} ORDER BY owned_since LIMIT 1`);

  return {
    /** Takes the job for `owner` unless someone holds it; whether it did. */
    claim(id: string, owner: JobOwner, time: string): boolean {
      const { token, pid, startedAt, since, leaseUntil } = owner;
      const result = claim.run({ id, token, pid, startedAt, now: since, until: leaseUntil, time });
      return result.changes === 1;
    },
    /** Moves the lease's end; false when the claim is no longer this token's. */
    renew(id: string, token: string, until: number): boolean {
      return renew.run({ id, token, until }).changes === 1;
    },
    release(id: string, token: string): boolean {
      return release.run({ id, token }).changes === 1;
    },
    /** The run's end state and the claim's end in one statement; false when it was taken over. */
    finish(id: string, token: string, state: JobState, stopReason: string | null, time: string): boolean {
      return finish.run({ id, token, state, stopReason, time }).changes === 1;
    },
    hasLapsedRunning: (now: number): boolean => queryGet(lapsedRunning, [now]) !== undefined,
    interruptLapsed(now: number, time: string): void {
      interruptLapsed.run({ now, time });
    },
    isOwnerOfAny: (owner: OwnerIdentity): boolean =>
      queryGet(ownedBy, [owner.pid, owner.startedAt]) !== undefined,
    voidOwnedBy(owner: OwnerIdentity, time: string): void {
      voidOwnedBy.run({ pid: owner.pid, startedAt: owner.startedAt, time });
    },
    ownerOf: (id: string): JobOwner | null =>
      queryGet<OwnerRow, JobOwner | null>(ownerOf, [id], toOwner) ?? null,
    /** A "retry failed rows" job of `id` someone holds, if any. */
    heldChild: (id: string, now: number): JobOwner | null =>
      queryGet<OwnerRow, JobOwner | null>(heldChild, [id, now], toOwner) ?? null,
  };
}
