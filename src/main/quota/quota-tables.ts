/**
 * The quota budget's table and its migrations (prefix "quota:"). A step, once shipped, never
 * changes (a change is a new step). One row per job's membership of an account key's budget; a
 * job that leaves keeps its row while its last rate is still held (see allocation.ts), then the
 * row is deleted. Times are epoch milliseconds from the injected clock, so processes on one
 * machine compare them directly.
 */
export const QUOTA_MIGRATIONS = [
  {
    name: 'quota:1',
    sql: `
      CREATE TABLE quota_allocations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_key TEXT NOT NULL,
        job_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        quota INTEGER NOT NULL,
        requested INTEGER NOT NULL,
        rate INTEGER NOT NULL,
        held_rate INTEGER NOT NULL DEFAULT 0,
        held_until INTEGER NOT NULL DEFAULT 0,
        joined_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        released_at INTEGER
      );
      CREATE INDEX quota_allocations_key ON quota_allocations (account_key);
    `,
  },
];
