/**
 * The log's query plans: each turns the same conditions into the same page (same entries, same
 * order), by a different route through the indexes. log-planner.ts chooses among them by how many
 * rows each part matches; bench/log-scale.ts measures them at 1M entries.
 */
import type { LogPage } from '@shared/contract';
import type { Database } from '../store/database';
import { queryAggregate, queryAll, queryGet } from '../store/query';
import { plain, unindexed, type Conditions, type Filter } from './log-filters';
import { toLogEntry, type LogRow } from './log-row';

/** What every plan is given: the conditions, the cursor as a condition, and the page size. */
export interface PlanQuery extends Conditions {
  cursor: Filter[];
  before: number | undefined;
  limit: number;
}

/** Where a walk along the text index stands: the FTS5 query and the highest indexed id. */
export interface TextWalk {
  match: string;
  indexed: number;
}

export interface Plans {
  /** Rare text: the text index gives the few candidates (and what it has not indexed yet, `tail` entries above `indexed`). */
  textCandidates(q: PlanQuery, match: string, indexed: number, tail: number): LogPage;
  /** A selective filter: its index gives the rows, the rest is checked on them and they are sorted. */
  indexDriven(q: PlanQuery, driver: Filter): LogPage;
  /** A wide date range: walk the time index newest first. */
  walkTime(q: PlanQuery): LogPage;
  /** Walk ids newest first: along the text index when `text` is given, else the primary key (or the job's index). */
  walkIds(q: PlanQuery, text: TextWalk | undefined): LogPage;
}

/** The last slice's width: a walk's slices double up to this, so one slice stays short. */
const LAST_SLICE = 16_384;

export function createPlans(db: Database, options: { walkBudgetMs: number; firstSlice: number }): Plans {
  const { walkBudgetMs, firstSlice } = options;
  // Two statements: SQLite answers a lone min() or max() from the index edge, but both in one
  // query scan the table (https://www.sqlite.org/optoverview.html#the_min_max_optimization).
  const lowestId = db.prepare('SELECT min(id) AS id FROM log_attempts');
  const highestId = db.prepare('SELECT max(id) AS id FROM log_attempts');

  const select = (q: PlanQuery, parts: Filter[], from = 'log_attempts a', orderBy = q.order): LogRow[] => {
    const where = parts.length > 0 ? `WHERE ${parts.map((f) => f.sql).join(' AND ')}` : '';
    const sql = `SELECT a.* FROM ${from} ${where} ORDER BY ${orderBy} LIMIT ?`;
    return queryAll<LogRow>(db.prepare(sql), [...parts.flatMap((f) => f.params), q.limit + 1]);
  };
  const page = (q: PlanQuery, rows: LogRow[], partialCursor: number | null = null): LogPage => {
    const entries = rows.slice(0, q.limit).map(toLogEntry);
    const more = rows.length > q.limit;
    return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : partialCursor };
  };
  /** What a walk checks on each entry it passes: a dated walk is along the time index, so no filter may take an index. */
  const checksOf = (q: PlanQuery): Filter[] => [
    ...q.filters.map((f) => (q.dated ? unindexed(f) : f)),
    ...q.textFilter,
  ];

  return {
    textCandidates(q, match, indexed, tail) {
      // Entries above `indexed` are not in the text index yet: they are candidates too, checked by
      // the LIKE text filter like every candidate.
      const candidates = plain(
        tail === 0
          ? 'a.id IN (SELECT rowid FROM log_attempts_text WHERE log_attempts_text MATCH ?)'
          : '(a.id IN (SELECT rowid FROM log_attempts_text WHERE log_attempts_text MATCH ?) OR a.id > ?)',
        tail === 0 ? [match] : [match, indexed],
      );
      return page(q, select(q, [candidates, ...q.filters.map(unindexed), ...q.textFilter, ...q.cursor]));
    },

    indexDriven(q, driver) {
      const others = q.filters.filter((f) => f !== driver).map(unindexed);
      return page(q, select(q, [driver, ...others, ...q.textFilter, ...q.cursor]));
    },

    walkTime(q) {
      // A walk examines slices of the log until a page is full or its time budget has gone; then it
      // returns what it found with a cursor to go on from, so no request takes long however rare
      // the matches are (the list asks for the next page as it is scrolled).
      const deadline = performance.now() + walkBudgetMs;
      const checks = checksOf(q);
      const need = q.limit + 1;
      // Slices of the time index: each ends at the entry `width` below the previous end.
      const time = q.filters.at(-1) as Filter;
      const edgeOf = (upper: Filter[], width: number): { time: string; id: number } | undefined =>
        queryGet<{ time: string; id: number }>(
          db.prepare(
            `SELECT time, id FROM log_attempts a INDEXED BY log_attempts_time
               WHERE ${[time, ...upper].map((f) => f.sql).join(' AND ')}
               ORDER BY a.time DESC, a.id DESC LIMIT 1 OFFSET ?`,
          ),
          [...[time, ...upper].flatMap((f) => f.params), width - 1],
        );
      const rows: LogRow[] = [];
      let upper = q.cursor;
      for (let width = firstSlice; ; width = Math.min(width * 2, LAST_SLICE)) {
        const edge = edgeOf(upper, width);
        const lower: Filter[] =
          edge === undefined ? [] : [plain('(a.time, a.id) >= (?, ?)', [edge.time, edge.id])];
        // INDEXED BY: the time index is the walk; the planner would otherwise favour an equality
        // index and sort all of its rows. https://www.sqlite.org/lang_indexedby.html
        rows.push(
          ...select(q, [time, ...checks, ...upper, ...lower], 'log_attempts a INDEXED BY log_attempts_time'),
        );
        if (rows.length >= need || edge === undefined) return page(q, rows);
        if (performance.now() > deadline) return page(q, rows, edge.id);
        upper = [plain('(a.time, a.id) < (?, ?)', [edge.time, edge.id])];
      }
    },

    walkIds(q, text) {
      const deadline = performance.now() + walkBudgetMs;
      const checks = checksOf(q);
      const need = q.limit + 1;
      // Slices of ids, newest first, along the text index, the job's index or the primary key.
      const lowest = queryAggregate<{ id: number | null }>(lowestId).id;
      const highest = queryAggregate<{ id: number | null }>(highestId).id;
      if (lowest === null || highest === null) return page(q, []);
      let hi = Math.min(q.before ?? highest + 1, highest + 1);
      const rows: LogRow[] = [];
      for (let width = firstSlice; hi > lowest; width = Math.min(width * 2, LAST_SLICE)) {
        let lo = Math.max(lowest, hi - width);
        if (text !== undefined && hi > text.indexed + 1) {
          // Not in the text index yet: this part of the slice is checked with LIKE.
          lo = Math.max(lo, text.indexed + 1);
          rows.push(...select(q, [...checks, plain('a.id >= ? AND a.id < ?', [lo, hi])]));
        } else if (text !== undefined) {
          // CROSS JOIN keeps the text index as the outer loop (https://www.sqlite.org/optoverview.html#crossjoin);
          // FTS5 yields rowids in descending order, so the page needs no sort.
          const where = [
            'log_attempts_text MATCH ?',
            'f.rowid >= ?',
            'f.rowid < ?',
            ...checks.map((f) => f.sql),
          ];
          const sql = `SELECT a.* FROM log_attempts_text f CROSS JOIN log_attempts a ON a.id = f.rowid
            WHERE ${where.join(' AND ')} ORDER BY f.rowid DESC LIMIT ?`;
          rows.push(
            ...queryAll<LogRow>(db.prepare(sql), [
              text.match,
              lo,
              hi,
              ...checks.flatMap((f) => f.params),
              need,
            ]),
          );
        } else {
          rows.push(...select(q, [...checks, plain('a.id >= ? AND a.id < ?', [lo, hi])]));
        }
        if (rows.length >= need) return page(q, rows);
        hi = lo;
        if (hi > lowest && performance.now() > deadline) return page(q, rows, hi);
      }
      return page(q, rows);
    },
  };
}
