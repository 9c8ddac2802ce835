/**
 * One request budget per account key, shared across processes through the SQLite database the app
 * and every CLI open: Cognito's UserCreation quota is per AWS account and Region, shared by every
 * pool, client and process, so two jobs pacing alone at 40/s each put 80 into a 50/s quota.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
 *
 * A job joins with its key, its profile's quota and its own cap, renews every few hundred ms
 * (that is its heartbeat, and where it learns its rate) and leaves at the end. Every change is
 * one IMMEDIATE transaction that first does the housekeeping (stale jobs reclaimed, expired holds
 * deleted) and then applies allocation.ts, so two processes never decide from the same old rows.
 * The clock is read inside the transaction: decisions are ordered as they commit.
 */
import { migrate, transaction, type Database } from '../store/database';
import {
  housekeeping,
  nextRate,
  reclaimed,
  released,
  withRate,
  type Allowance,
  type BudgetTiming,
} from './allocation';
import { prepareQuotaQueries, type QuotaQueries, type StoredAllocation } from './quota-queries';
import { QUOTA_MIGRATIONS } from './quota-tables';

export type { Allowance } from './allocation';

/** A heartbeat older than this and the job is taken as gone; renew well within it (~250–500 ms). */
const DEFAULT_TTL_MS = 3000;
/** Freed capacity is usable by others this long after: a limiter's window of 1 s. */
const DEFAULT_HOLD_MS = 1000;

interface JoinRequest {
  accountKey: string;
  /** The profile's UserCreation quota, requests/s. */
  quota: number;
  /** The job's own cap, requests/s: it never gets more. */
  requested: number;
  jobId: string;
}

export interface QuotaHandle {
  readonly accountKey: string;
  /** What the last join or renew answered. */
  allowance(): Allowance;
  /** Heartbeat, and the rate the job may start at from now on (lower it before the next start). */
  renew(): Allowance;
  /**
   * The clock time until which the last answer holds. A reclaim counts a job's starts up to its
   * heartbeat + ttl, so a job must not start past this without renewing first (a process frozen
   * longer than the ttl, e.g. a suspended laptop, may have lost its allocation meanwhile).
   */
  expiresAt(): number;
  /** Gives the allocation back; what the job started in the last hold is still counted. Idempotent. */
  leave(): void;
}

export interface QuotaBudget {
  join(request: JoinRequest): QuotaHandle;
}

export interface QuotaBudgetOptions {
  /** Epoch milliseconds; every process on the machine must read the same clock. */
  now: () => number;
  /** Which process holds an allocation: pid and process start time (a reused pid is another owner). */
  owner?: string;
  ttlMs?: number;
  /** At least the window of the limiters the jobs use (see allocation.ts, "committed"). */
  holdMs?: number;
}

function processOwner(): string {
  return `${process.pid}@${Math.round(performance.timeOrigin)}`;
}

export function openQuotaBudget(db: Database, options: QuotaBudgetOptions): QuotaBudget {
  migrate(db, QUOTA_MIGRATIONS);
  const queries = prepareQuotaQueries(db);
  const timing: BudgetTiming = {
    ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
    holdMs: options.holdMs ?? DEFAULT_HOLD_MS,
  };
  if (!(timing.holdMs > 0 && timing.ttlMs > timing.holdMs))
    throw new RangeError('The budget needs 0 < holdMs < ttlMs.');
  const owner = options.owner ?? processOwner();
  const { now } = options;
  // Rows of keys no job uses any more (a crashed CLI's, say) would otherwise wait for the next
  // job on their key: gone once nothing they hold can count.
  transaction(db, () => queries.prune(now(), timing.ttlMs + timing.holdMs));

  return {
    join(request) {
      checkRequest(request);
      const member = { ...request, requested: Math.ceil(request.requested) };
      let id = 0;
      let heartbeatAt = 0;
      let left = false;

      const settle = (): Allowance =>
        transaction(db, () => {
          const time = now();
          const rows = tidy(queries, member.accountKey, time, timing);
          let self = rows.find((row) => row.id === id);
          if (self === undefined || self.releasedAt !== null) {
            // First join, or reclaimed while this process was frozen: a newcomer again.
            self = enter(queries, rows, { ...member, owner, now: time }, timing.holdMs);
            id = self.id;
          }
          const answer = nextRate(rows, self, time);
          queries.save({ ...withRate(self, answer.allowedRate, time, timing.holdMs), heartbeatAt: time });
          heartbeatAt = time;
          return answer;
        });

      let last = settle();
      return {
        accountKey: member.accountKey,
        allowance: () => last,
        renew() {
          if (left) return last;
          last = settle();
          return last;
        },
        expiresAt: () => heartbeatAt + timing.ttlMs,
        leave() {
          if (left) return;
          left = true;
          transaction(db, () => {
            const self = queries.get(id);
            if (self !== undefined && self.releasedAt === null)
              queries.save(released(self, now(), timing.holdMs));
          });
          last = { ...last, allowedRate: 0 };
        },
      };
    },
  };
}

function checkRequest(request: JoinRequest): void {
  if (!Number.isInteger(request.quota) || request.quota < 1)
    throw new RangeError(`The quota must be a whole number of requests per second (got ${request.quota}).`);
  if (!(request.requested > 0) || !Number.isFinite(request.requested))
    throw new RangeError(`The requested rate must be a positive number (got ${request.requested}).`);
}

/** Housekeeping of one key's rows at `now`; answers the rows that remain, as they now are. */
function tidy(
  queries: QuotaQueries,
  accountKey: string,
  now: number,
  timing: BudgetTiming,
): StoredAllocation[] {
  const kept: StoredAllocation[] = [];
  for (const row of queries.forKey(accountKey)) {
    const action = housekeeping(row, now, timing);
    if (action === 'delete') {
      queries.remove(row.id);
      continue;
    }
    if (action === 'reclaim') {
      const gone = { ...row, ...reclaimed(row, timing) };
      queries.save(gone);
      // Reclaimed and already past its hold (a long-dead job): nothing left to count.
      if (gone.heldUntil <= now) queries.remove(row.id);
      else kept.push(gone);
      continue;
    }
    kept.push(row);
  }
  return kept;
}

/**
 * Inserts a new member (rate 0 until nextRate answers). An older live row of the same job — a
 * resume after a crash, or in another process — is released first: it may have started requests
 * in the last hold, so its capacity is held, not handed over.
 */
function enter(
  queries: QuotaQueries,
  rows: StoredAllocation[],
  member: JoinRequest & { owner: string; now: number },
  holdMs: number,
): StoredAllocation {
  for (const [index, row] of rows.entries()) {
    if (row.jobId !== member.jobId || row.releasedAt !== null) continue;
    const gone = { ...row, ...released(row, member.now, holdMs) };
    queries.save(gone);
    rows[index] = gone;
  }
  const id = queries.insert(member);
  const self = queries.get(id);
  if (self === undefined) throw new Error('The quota allocation just inserted cannot be read back.');
  rows.push(self);
  return self;
}
