/**
 * The arithmetic of a shared quota budget, as pure functions over allocation records (no database,
 * no clock: `now` is an argument). The store (quota-budget.ts) reads the records of one account
 * key, asks these functions, and writes the answer in the same transaction.
 *
 * Why "committed" and not just the allocated rate: a job's rate limiter counts its starts over a
 * sliding window, so a job that lowers its allocation from 40 to 25 may still have 40 starts in the
 * last second. If another job could take the freed 15 at once, the account would see up to 65 in
 * one second. So capacity a job gives up stays committed to it for `holdMs` (≥ its limiter's
 * window) after it was freed; the sum of committed capacity never exceeds the quota, hence the sum
 * of starts in every window does not either. The UserCreation quota is per account and Region:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
 *
 * Allocations are whole requests per second: each limiter allows floor(rate) starts per window.
 */

export interface Allocation {
  id: number;
  /** Requests/s this job asked for (its user's cap, rounded up to a whole number). */
  requested: number;
  /** The quota this job's profile names; several profiles on one key: the lowest wins. */
  quota: number;
  /** Requests/s the job may start at now. */
  rate: number;
  /** A higher rate the job had until recently, still committed until `heldUntil` (ms). */
  heldRate: number;
  heldUntil: number;
  heartbeatAt: number;
  /** Set when the job left or was reclaimed; the row only holds `heldRate` until `heldUntil`. */
  releasedAt: number | null;
}

export interface BudgetTiming {
  /** A job whose heartbeat is older than this is taken as gone (crashed, killed, suspended). */
  ttlMs: number;
  /** How long freed capacity stays committed to the job that freed it (its limiter's window). */
  holdMs: number;
}

/** The capacity a record still occupies at `now`: its rate, or a recent higher rate it gave up. */
export function committed(row: Allocation, now: number): number {
  const held = row.heldUntil > now ? row.heldRate : 0;
  return Math.max(row.releasedAt === null ? row.rate : 0, held);
}

/** The same record after its rate changes to `rate` at `now`: a decrease is held for `holdMs`. */
export function withRate(row: Allocation, rate: number, now: number, holdMs: number): Allocation {
  if (rate >= row.rate) return { ...row, rate };
  // Conservative when lowered twice within holdMs: the higher rate is held from the latest change.
  const stillHeld = row.heldUntil > now ? row.heldRate : 0;
  return { ...row, rate, heldRate: Math.max(stillHeld, row.rate), heldUntil: now + holdMs };
}

/** A job leaving at `now`: nothing allocated, its last rate held for `holdMs`. */
export function released(row: Allocation, now: number, holdMs: number): Allocation {
  return { ...withRate(row, 0, now, holdMs), releasedAt: now };
}

/**
 * What housekeeping does to a record at `now`: 'keep' it, 'reclaim' it (live, but no heartbeat for
 * ttlMs: released as of heartbeat + ttl, so what it started up to then stays counted for holdMs),
 * or 'delete' it (released and no longer holding anything).
 */
export function housekeeping(
  row: Allocation,
  now: number,
  timing: BudgetTiming,
): 'keep' | 'reclaim' | 'delete' {
  if (row.releasedAt !== null) return row.heldUntil <= now ? 'delete' : 'keep';
  return now - row.heartbeatAt >= timing.ttlMs ? 'reclaim' : 'keep';
}

/** A stale record as reclaimed: released at heartbeat + ttl (a job never sends past its lease). */
export function reclaimed(row: Allocation, timing: BudgetTiming): Allocation {
  return released(row, row.heartbeatAt + timing.ttlMs, timing.holdMs);
}

/**
 * Max-min fair shares (water-filling) of `quota` among demands, in whole requests/s: each gets
 * min(its demand, an equal share of what the smaller demands leave). A remainder that does not
 * divide evenly goes one each to the earliest entries (callers pass them oldest first), so the
 * answer is the same in every process.
 */
export function fairShares(quota: number, demands: readonly number[]): number[] {
  const shares = demands.map(() => 0);
  let open = demands.map((demand, index) => ({ demand: Math.max(0, Math.floor(demand)), index }));
  let left = Math.max(0, Math.floor(quota));
  while (open.length > 0) {
    const equal = Math.floor(left / open.length);
    const small = open.filter((entry) => entry.demand <= equal);
    if (small.length === 0) {
      let extra = left - equal * open.length;
      for (const entry of open) {
        const bonus = extra > 0 && entry.demand > equal ? 1 : 0;
        extra -= bonus;
        shares[entry.index] = equal + bonus;
      }
      break;
    }
    for (const entry of small) {
      shares[entry.index] = entry.demand;
      left -= entry.demand;
    }
    open = open.filter((entry) => entry.demand > equal);
  }
  return shares;
}

export interface Allowance {
  /** Requests/s the job may start at. */
  allowedRate: number;
  /** Live jobs on this budget, this one included. */
  sharedWith: number;
  /** The quota the budget keeps to (the lowest any of its jobs' profiles names). */
  quota: number;
}

/**
 * The next rate of job `self` among the records of its account key (housekeeping already done):
 * its fair share, but never more than the quota minus what every other record still commits. A
 * job above its share lowers at once (its old rate stays held); a job below it rises only into
 * capacity that is free now — so a newcomer gets what is free and waits for the rest.
 */
export function nextRate(rows: readonly Allocation[], self: Allocation, now: number): Allowance {
  const live = rows.filter((row) => row.releasedAt === null);
  if (!live.some((row) => row.id === self.id)) live.push(self);
  live.sort((a, b) => a.id - b.id);
  const quota = Math.min(...live.map((row) => row.quota));
  const shares = fairShares(
    quota,
    live.map((row) => row.requested),
  );
  const share = shares[live.findIndex((row) => row.id === self.id)] ?? 0;
  const others = rows.filter((row) => row.id !== self.id).reduce((sum, row) => sum + committed(row, now), 0);
  const free = Math.max(0, quota - others);
  return { allowedRate: Math.min(share, free), sharedWith: live.length, quota };
}
