/**
 * Every statement of the quota budget, prepared once, behind typed functions. No transactions
 * here: the budget decides what commits together.
 */
import type { Database } from '../store/database';
import { queryAll, queryGet } from '../store/query';
import type { Allocation } from './allocation';

/** A quota_allocations row as the SELECTs below answer it. */
interface AllocationRow {
  id: number;
  job_id: string;
  owner: string;
  quota: number;
  requested: number;
  rate: number;
  held_rate: number;
  held_until: number;
  heartbeat_at: number;
  released_at: number | null;
}

export interface StoredAllocation extends Allocation {
  jobId: string;
  owner: string;
}

const toAllocation = (row: AllocationRow): StoredAllocation => ({
  id: row.id,
  jobId: row.job_id,
  owner: row.owner,
  quota: row.quota,
  requested: row.requested,
  rate: row.rate,
  heldRate: row.held_rate,
  heldUntil: row.held_until,
  heartbeatAt: row.heartbeat_at,
  releasedAt: row.released_at,
});

export interface NewAllocation {
  accountKey: string;
  jobId: string;
  owner: string;
  quota: number;
  requested: number;
  now: number;
}

const COLUMNS = 'id, job_id, owner, quota, requested, rate, held_rate, held_until, heartbeat_at, released_at';

export function prepareQuotaQueries(db: Database) {
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM quota_allocations WHERE account_key = ? ORDER BY id`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM quota_allocations WHERE id = ?`);
  const insert = db.prepare(`INSERT INTO quota_allocations (account_key, job_id, owner, quota, requested,
    rate, joined_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)`);
  const update = db.prepare(`UPDATE quota_allocations SET rate = ?, held_rate = ?, held_until = ?,
    heartbeat_at = ?, released_at = ? WHERE id = ?`);
  const remove = db.prepare('DELETE FROM quota_allocations WHERE id = ?');
  const prune = db.prepare(`DELETE FROM quota_allocations WHERE (released_at IS NOT NULL AND held_until <= ?)
    OR (released_at IS NULL AND heartbeat_at + ? <= ?)`);

  return {
    forKey: (accountKey: string): StoredAllocation[] =>
      queryAll<AllocationRow, StoredAllocation>(byKey, [accountKey], toAllocation),
    get: (id: number): StoredAllocation | undefined =>
      queryGet<AllocationRow, StoredAllocation>(byId, [id], toAllocation),
    insert(row: NewAllocation): number {
      const result = insert.run(
        row.accountKey,
        row.jobId,
        row.owner,
        row.quota,
        row.requested,
        row.now,
        row.now,
      );
      return Number(result.lastInsertRowid);
    },
    /** Writes the record's rate, hold, heartbeat and release as they are now. */
    save(row: Allocation): void {
      update.run(row.rate, row.heldRate, row.heldUntil, row.heartbeatAt, row.releasedAt, row.id);
    },
    remove(id: number): void {
      remove.run(id);
    },
    /** Every key's rows that hold nothing at `now`, even with a live job past its ttl + hold. */
    prune(now: number, goneAfterMs: number): void {
      prune.run(now, goneAfterMs, now);
    },
  };
}
export type QuotaQueries = ReturnType<typeof prepareQuotaQueries>;
