/**
 * Chooses the plan for a log query by how many rows each part matches, counted up to a threshold
 * (so the counting stays cheap however big the log is):
 * 1. rare text → the text index gives the few candidates, everything else is checked on them;
 * 2. a selective filter (a job, a rare error or outcome, a short time range) → the index of
 *    the most selective one gives the rows, the rest is checked on them and they are sorted;
 * 3. a wide date range → walk the time index newest first;
 * 4. common text → walk the text index newest first (it yields rowids in order);
 * 5. otherwise walk newest first along the primary key (or the job's index).
 */
import type { LogPage } from '@shared/contract';
import type { SQLInputValue } from 'node:sqlite';
import type { Database } from '../store/database';
import { queryAggregate, queryGet } from '../store/query';
import { conditionsOf, cursorOf, type Filter, type ParsedLogQuery } from './log-filters';
import { createPlans, type PlanQuery, type TextWalk } from './log-plans';
import { trigramQuery, type TextIndex } from './log-text-index';

/** Below this many matching rows, the filters' own indexes drive a query. */
const DEFAULT_SELECTIVE = 20_000;
/** How long a walk newest first may take before it returns a partial page with a cursor (ms). */
const DEFAULT_WALK_BUDGET_MS = 60;
/** The first slice a walk examines; each next one is twice as wide, up to the plans' last slice. */
const FIRST_SLICE = 4_096;

export interface PlannerOptions {
  /** Query-planning threshold (rows); tests set it to 0 to exercise the "walk newest first" plans. */
  selectiveBelow?: number;
  /** How long one walk may take before it returns a partial page (ms); tests set 0 to force partial pages. */
  walkBudgetMs?: number;
  /** The first slice's width (rows); tests make it small to walk many slices. */
  firstSlice?: number;
}

export function createQueryPlanner(
  db: Database,
  textIndex: TextIndex,
  options: PlannerOptions = {},
): (q: ParsedLogQuery) => LogPage {
  const SELECTIVE = options.selectiveBelow ?? DEFAULT_SELECTIVE;
  const COUNT_LIMIT = Math.max(SELECTIVE, 1);
  const plans = createPlans(db, {
    walkBudgetMs: options.walkBudgetMs ?? DEFAULT_WALK_BUDGET_MS,
    firstSlice: Math.max(1, options.firstSlice ?? FIRST_SLICE),
  });
  /** Counts matches, but stops at SELECTIVE: cheap however big the log is. */
  function countUpTo(filters: string[], params: SQLInputValue[]): number {
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts a WHERE ${filters.join(' AND ')} LIMIT ${COUNT_LIMIT})`;
    return Number(queryAggregate<{ n: number }>(db.prepare(sql), params).n);
  }
  const textCount = db.prepare(
    `SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts_text WHERE log_attempts_text MATCH ? LIMIT ${COUNT_LIMIT})`,
  );
  const countTextUpTo = (match: string): number =>
    Number(queryAggregate<{ n: number }>(textCount, [match]).n);
  const timeOf = db.prepare('SELECT time FROM log_attempts WHERE id = ?');

  return (query) => {
    const conditions = conditionsOf(query);
    const { filters, text, dated } = conditions;
    const beforeTime =
      dated && query.before !== undefined
        ? queryGet<{ time: string }>(timeOf, [query.before])?.time
        : undefined;
    const q: PlanQuery = {
      ...conditions,
      cursor: cursorOf(query.before, beforeTime),
      before: query.before,
      limit: query.limit,
    };

    const ftsText = Array.from(text).length >= 3;
    const match = ftsText ? trigramQuery(text) : '';
    // Entries above `indexed` are not in the text index yet; every plan also searches them with LIKE.
    const indexed = ftsText ? textIndex.indexedForQuery() : 0;
    const tail = ftsText ? textIndex.waitingAfter(indexed, COUNT_LIMIT) : 0;
    if (ftsText && tail < SELECTIVE && countTextUpTo(match) + tail < SELECTIVE)
      return plans.textCandidates(q, match, indexed, tail);

    let driver: Filter | undefined;
    let fewest = SELECTIVE;
    for (const f of filters) {
      const n = countUpTo([f.sql], f.params);
      if (n < fewest) [driver, fewest] = [f, n];
    }
    if (driver !== undefined) return plans.indexDriven(q, driver);
    if (dated) return plans.walkTime(q);
    // With a job asked for, the slices go along its (job_id, id) index, which holds only that job's
    // entries; otherwise along the text index.
    const viaText: TextWalk | undefined =
      ftsText && query.jobId === undefined ? { match, indexed } : undefined;
    return plans.walkIds(q, viaText);
  };
}
