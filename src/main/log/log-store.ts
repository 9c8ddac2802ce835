/**
 * The durable log of every SignUp attempt (form, CLI, import): what was tried, for whom, and what
 * Cognito answered — never a password, client secret or SecretHash (there are no columns for them).
 *
 * Built for 1,000,000+ rows: newest-first keyset paging on the primary key (no OFFSET), one index
 * per filter that leads with the filtered column and ends with id, and an FTS5 trigram index for
 * the free-text filter, so substring search is an index lookup instead of a table scan.
 * https://www.sqlite.org/fts5.html#the_trigram_tokenizer
 *
 * The text index keeps no positions (detail=none: about half the insert cost and index size of
 * detail=full, measured at 1M entries in bench/log-scale.ts), so it answers "has all these
 * trigrams" and each candidate is confirmed with LIKE on the entry itself.
 * https://www.sqlite.org/fts5.html#the_detail_option
 *
 * This module composes the parts, each in its own file: the tables (log-schema), the row mapping
 * (log-row), the deferred text index (log-text-index), the conditions (log-filters), the choice of
 * plan (log-planner) and the plans themselves (log-plans).
 */
import type { LogEntry, LogPage, LogQuery } from '@shared/contract';
import { LogQuerySchema } from '@shared/contract';
import { migrate, type Database } from '../store/database';
import { queryGet } from '../store/query';
import { AppError } from '../errors';
import { createQueryPlanner, type PlannerOptions } from './log-planner';
import { entryWriter, toLogEntry, type LogRow, type NewLogEntry } from './log-row';
import { LOG_MIGRATIONS } from './log-schema';
import { createTextIndex } from './log-text-index';

export type { NewLogEntry } from './log-row';
export { LOG_MIGRATIONS } from './log-schema';
export { TEXT_CATCH_UP_CHUNK } from './log-text-index';

export interface LogStore {
  /** Synchronous so the import engine can record inside its own transaction. Returns the new id. */
  record(entry: NewLogEntry): number;
  query(query: LogQuery): LogPage;
  /** Throws AppError('LogEntryNotFound') for an unknown id. */
  get(id: number): LogEntry;
  /**
   * Adds up to `maxRows` not-yet-indexed entries to the text index, oldest first, in one
   * transaction; returns how many it added (fewer than `maxRows`: it has caught up). Run in the background (services) and
   * before each text query, which also searches what is still waiting, so search is never stale.
   */
  catchUpText(maxRows?: number): number;
}

export interface LogStoreOptions extends PlannerOptions {
  /** Most entries a text query adds to the text index first; tests set it low to exercise the fallback. */
  queryCatchUpMax?: number;
}

export function createLogStore(db: Database, options: LogStoreOptions = {}): LogStore {
  migrate(db, LOG_MIGRATIONS);
  const textIndex = createTextIndex(db, options);
  const plan = createQueryPlanner(db, textIndex, options);
  const record = entryWriter(db);
  const byId = db.prepare('SELECT * FROM log_attempts WHERE id = ?');

  return {
    record,
    catchUpText: (maxRows) => textIndex.catchUp(maxRows),
    get(id) {
      const entry = queryGet(byId, [id], (row: LogRow) => toLogEntry(row));
      if (entry === undefined) throw new AppError('LogEntryNotFound', `There is no log entry ${id}.`);
      return entry;
    },
    query: (raw) => plan(LogQuerySchema.parse(raw)),
  };
}
