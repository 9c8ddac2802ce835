import type { Database } from '../store/database';
import { queryAll } from '../store/query';

/**
 * The values the log's filter menus offer, read from the partial indexes on error_name and job_id.
 * A plain SELECT DISTINCT walks every index entry (a million for a million imported rows); this
 * jumps from one value to the next (one index seek each), so the cost grows with the number of
 * distinct values, not with the entries — the "skip-scan" of https://www.sqlite.org/lang_with.html
 * done by hand with a recursive CTE.
 */
function distinctValues(db: Database, column: 'error_name' | 'job_id'): string[] {
  const values = db.prepare(
    `WITH RECURSIVE v(value) AS (
       SELECT min(${column}) FROM log_attempts WHERE ${column} IS NOT NULL
       UNION ALL
       SELECT (SELECT min(${column}) FROM log_attempts WHERE ${column} > v.value) FROM v WHERE v.value IS NOT NULL
     )
     SELECT value FROM v WHERE value IS NOT NULL`,
  );
  return queryAll<{ value: string }>(values).map((row) => row.value);
}

export function logFacets(db: Database): { errorNames: string[]; jobIds: string[] } {
  return { errorNames: distinctValues(db, 'error_name'), jobIds: distinctValues(db, 'job_id') };
}
