import type { Database } from '../store/database';

/**
 * The values the log's filter menus offer. Both read a partial index (error_name, job_id), so
 * the cost grows with the distinct values, not with the entries.
 */
export function logFacets(db: Database): { errorNames: string[]; jobIds: string[] } {
  const errorNames = db
    .prepare('SELECT DISTINCT error_name AS v FROM log_attempts WHERE error_name IS NOT NULL ORDER BY 1')
    .all() as Array<{ v: string }>;
  const jobIds = db
    .prepare('SELECT DISTINCT job_id AS v FROM log_attempts WHERE job_id IS NOT NULL ORDER BY 1')
    .all() as Array<{ v: string }>;
  return { errorNames: errorNames.map((r) => r.v), jobIds: jobIds.map((r) => r.v) };
}
