/**
 * The deferred text index: log_attempts_text (FTS5, trigram, detail=none) is filled in batches by
 * catchUp, not by a trigger per recorded entry. An import records thousands of entries a second,
 * and a batch indexes an entry in ~10 µs against ~50 µs for the trigger. Every entry up to
 * log_text_progress.indexed_through is in the index; a text query catches up first and searches
 * what is still waiting with LIKE, so search is never stale.
 * https://www.sqlite.org/fts5.html#external_content_tables
 */
import { transaction, type Database } from '../store/database';
import { queryAggregate } from '../store/query';
import { TEXT_COLUMNS } from './log-schema';

/** Entries catchUpText indexes by default: one transaction, ~15–30 ms (~10 µs an entry in a batch, measured at 20k entries). */
export const TEXT_CATCH_UP_CHUNK = 2_000;
/**
 * Most entries a text query indexes before it runs (~10 µs each in a batch); a bigger backlog (a large import
 * just ran with nothing in the background) is searched with LIKE instead, so the query stays short.
 */
const QUERY_CATCH_UP_MAX = 5_000;

export interface TextIndex {
  /** Indexes up to `maxRows` waiting entries, oldest first, in one transaction; returns how many. */
  catchUp(maxRows?: number): number;
  /**
   * Before a text query: index what is waiting (up to the query's catch-up limit), then return the
   * highest indexed id; entries above it are searched with LIKE.
   */
  indexedForQuery(): number;
  /** Entries above `id` (not in the index when `id` is the indexed mark), counted up to `limit`. */
  waitingAfter(id: number, limit: number): number;
}

export function createTextIndex(db: Database, options: { queryCatchUpMax?: number } = {}): TextIndex {
  const QUERY_CATCH_UP = Math.max(0, options.queryCatchUpMax ?? QUERY_CATCH_UP_MAX);
  const indexedThrough = db.prepare('SELECT indexed_through AS id FROM log_text_progress');
  const batchEnd = db.prepare(
    'SELECT max(id) AS id FROM (SELECT id FROM log_attempts WHERE id > ? ORDER BY id LIMIT ?)',
  );
  const indexBatch = db.prepare(
    `INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
     SELECT id, ${TEXT_COLUMNS.join(', ')} FROM log_attempts WHERE id > ? AND id <= ? ORDER BY id`,
  );
  const setIndexedThrough = db.prepare('UPDATE log_text_progress SET indexed_through = ?');
  // Counted up to a limit: cheap however long the tail is.
  const waiting = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts WHERE id > ? LIMIT ?)');
  const markOf = (): number => Number(queryAggregate<{ id: number }>(indexedThrough).id);

  function catchUp(maxRows = TEXT_CATCH_UP_CHUNK): number {
    const work = (): number => {
      const from = markOf();
      const to = queryAggregate<{ id: number | null }>(batchEnd, [from, Math.max(0, maxRows)]).id;
      if (to === null) return 0;
      const added = Number(indexBatch.run(from, to).changes);
      setIndexedThrough.run(to);
      return added;
    };
    // Inside a caller's transaction the batch becomes part of it (and rolls back with it).
    return db.isTransaction ? work() : transaction(db, work);
  }

  return {
    catchUp,
    indexedForQuery() {
      // A failure to index (another process holds the write lock past busy_timeout) only makes
      // the LIKE tail longer.
      try {
        if (QUERY_CATCH_UP > 0) catchUp(QUERY_CATCH_UP);
      } catch {
        // The tail is searched with LIKE; nothing is missed.
      }
      return markOf();
    },
    waitingAfter: (id, limit) => Number(queryAggregate<{ n: number }>(waiting, [id, limit]).n),
  };
}

/**
 * The FTS5 query for a substring: every distinct trigram of it, each quoted (taken literally), ANDed.
 * With detail=none that finds the candidates; LIKE confirms them (order and adjacency).
 */
export function trigramQuery(text: string): string {
  const chars = Array.from(text.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return [...grams].map((gram) => `"${gram.replaceAll('"', '""')}"`).join(' AND ');
}
