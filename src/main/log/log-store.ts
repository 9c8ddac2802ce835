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
 * The text index is filled in batches (catchUpText), not by a trigger per recorded entry: an import
 * records thousands of entries a second, and a batch indexes an entry in ~10 µs against ~50 µs for
 * the trigger. A text query catches up first and searches what is still waiting with LIKE, so
 * search is never stale.
 */
import type { LogEntry, LogPage, LogQuery } from '@shared/contract';
import { LogQuerySchema } from '@shared/contract';
import type { SQLInputValue } from 'node:sqlite';
import { migrate, transaction, type Database } from '../store/database';
import { AppError } from '../errors';

export type NewLogEntry = Omit<LogEntry, 'id'>;

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

const TEXT_COLUMNS = [
  'username',
  'user_sub',
  'destination',
  'error_name',
  'error_message',
  'profile_name',
] as const;

/** Exported for the migration test (an old database at log:1). */
export const LOG_MIGRATIONS = [
  {
    name: 'log:1',
    sql: `
      CREATE TABLE log_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        source TEXT NOT NULL,
        job_id TEXT,
        row_number INTEGER,
        profile_id TEXT,
        profile_name TEXT,
        region TEXT NOT NULL,
        user_pool_id TEXT,
        client_id TEXT NOT NULL,
        username TEXT NOT NULL,
        outcome TEXT NOT NULL,
        user_sub TEXT,
        user_confirmed INTEGER,
        delivery_medium TEXT,
        destination TEXT,
        attribute_name TEXT,
        error_name TEXT,
        error_message TEXT,
        request_id TEXT,
        note TEXT
      );
      CREATE INDEX log_attempts_outcome ON log_attempts (outcome, id);
      CREATE INDEX log_attempts_job ON log_attempts (job_id, id) WHERE job_id IS NOT NULL;
      CREATE INDEX log_attempts_medium ON log_attempts (delivery_medium, id) WHERE delivery_medium IS NOT NULL;
      CREATE INDEX log_attempts_error ON log_attempts (error_name, id) WHERE error_name IS NOT NULL;
      CREATE INDEX log_attempts_time ON log_attempts (time);

      CREATE VIRTUAL TABLE log_attempts_text USING fts5 (
        ${TEXT_COLUMNS.join(', ')},
        content = 'log_attempts', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
      );
      CREATE TRIGGER log_attempts_ai AFTER INSERT ON log_attempts BEGIN
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES (new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_ad AFTER DELETE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_au AFTER UPDATE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES (new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')});
      END;
    `,
  },
  {
    // The text index is kept up to date in batches (catchUpText) instead of by a trigger per row:
    // a trigram insert per row cost ~50 µs of an import's ~360 µs per row (bench scenario b).
    // Every row up to log_text_progress.indexed_through is in the index; delete and update keep
    // those rows in step, and leave newer ones (not in the index yet) alone, since an FTS5
    // 'delete' of a row that was never indexed would corrupt the index.
    // https://www.sqlite.org/fts5.html#external_content_tables
    name: 'log:2',
    sql: `
      DROP TRIGGER log_attempts_ai;
      DROP TRIGGER log_attempts_ad;
      DROP TRIGGER log_attempts_au;
      CREATE TABLE log_text_progress (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        indexed_through INTEGER NOT NULL
      );
      INSERT INTO log_text_progress (singleton, indexed_through)
        VALUES (1, (SELECT coalesce(max(id), 0) FROM log_attempts));
      CREATE TRIGGER log_attempts_ad AFTER DELETE ON log_attempts
      WHEN old.id <= (SELECT indexed_through FROM log_text_progress) BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        VALUES ('delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')});
      END;
      CREATE TRIGGER log_attempts_au AFTER UPDATE ON log_attempts BEGIN
        INSERT INTO log_attempts_text (log_attempts_text, rowid, ${TEXT_COLUMNS.join(', ')})
        SELECT 'delete', old.id, ${TEXT_COLUMNS.map((c) => `old.${c}`).join(', ')}
        WHERE old.id <= (SELECT indexed_through FROM log_text_progress);
        INSERT INTO log_attempts_text (rowid, ${TEXT_COLUMNS.join(', ')})
        SELECT new.id, ${TEXT_COLUMNS.map((c) => `new.${c}`).join(', ')}
        WHERE new.id <= (SELECT indexed_through FROM log_text_progress);
      END;
    `,
  },
];

interface Row {
  id: number;
  time: string;
  source: string;
  job_id: string | null;
  row_number: number | null;
  profile_id: string | null;
  profile_name: string | null;
  region: string;
  user_pool_id: string | null;
  client_id: string;
  username: string;
  outcome: string;
  user_sub: string | null;
  user_confirmed: number | null;
  delivery_medium: string | null;
  destination: string | null;
  attribute_name: string | null;
  error_name: string | null;
  error_message: string | null;
  request_id: string | null;
  note: string | null;
}

function toEntry(row: Row): LogEntry {
  const optional = <K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> =>
    value === null ? {} : ({ [key]: value } as Record<K, V>);
  return {
    id: row.id,
    time: row.time,
    source: row.source as LogEntry['source'],
    ...optional('jobId', row.job_id),
    ...optional('rowNumber', row.row_number),
    ...optional('profileId', row.profile_id),
    ...optional('profileName', row.profile_name),
    region: row.region,
    ...optional('userPoolId', row.user_pool_id),
    clientId: row.client_id,
    username: row.username,
    outcome: row.outcome as LogEntry['outcome'],
    ...optional('userSub', row.user_sub),
    ...optional('userConfirmed', row.user_confirmed === null ? null : row.user_confirmed === 1),
    ...optional('deliveryMedium', row.delivery_medium),
    ...optional('destination', row.destination),
    ...optional('attributeName', row.attribute_name),
    ...optional('errorName', row.error_name),
    ...optional('errorMessage', row.error_message),
    ...optional('requestId', row.request_id),
    ...optional('note', row.note),
  };
}

/** ISO bounds; a date-only `to` means "to the end of that day" (UTC). */
function bound(value: string | undefined, edge: 'from' | 'to'): string | undefined {
  if (value === undefined || value === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(ms))
    throw new AppError(
      'InvalidRequest',
      `"${value}" is not a date or time (use e.g. 2026-05-01 or 2026-05-01T10:00:00Z).`,
      {
        fields: { [edge]: 'Not a date or time.' },
      },
    );
  return new Date(dateOnly && edge === 'to' ? ms + 86_400_000 - 1 : ms).toISOString();
}

/**
 * The FTS5 query for a substring: every distinct trigram of it, each quoted (taken literally), ANDed.
 * With detail=none that finds the candidates; LIKE confirms them (order and adjacency).
 */
function trigramQuery(text: string): string {
  const chars = Array.from(text.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return [...grams].map((gram) => `"${gram.replaceAll('"', '""')}"`).join(' AND ');
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const unindexed = (f: Filter): Filter => ({ ...f, sql: f.unindexed });

/** Below this many matching rows, the filters' own indexes drive a query (see query()). */
const DEFAULT_SELECTIVE = 20_000;

/**
 * A walk newest first examines slices of the log until a page is full or this much time has gone;
 * then it returns what it found with a cursor to go on from, so no request takes long however
 * rare the matches are (the list asks for the next page as it is scrolled).
 */
const DEFAULT_WALK_BUDGET_MS = 60;
/** The first slice a walk examines; each next one is twice as wide, up to LAST_SLICE (so one slice stays short). */
const FIRST_SLICE = 4_096;
const LAST_SLICE = 16_384;

export interface LogStoreOptions {
  /** Query-planning threshold (rows); tests set it to 0 to exercise the "walk newest first" plans. */
  selectiveBelow?: number;
  /** How long one walk may take before it returns a partial page (ms); tests set 0 to force partial pages. */
  walkBudgetMs?: number;
  /** The first slice's width (rows); tests make it small to walk many slices. */
  firstSlice?: number;
  /** Most entries a text query adds to the text index first; tests set it low to exercise the fallback. */
  queryCatchUpMax?: number;
}

/** Entries catchUpText indexes by default: one transaction, ~15–30 ms (~10 µs an entry in a batch, measured at 20k entries). */
export const TEXT_CATCH_UP_CHUNK = 2_000;
/**
 * Most entries a text query indexes before it runs (~10 µs each in a batch); a bigger backlog (a large import
 * just ran with nothing in the background) is searched with LIKE instead, so the query stays short.
 */
const QUERY_CATCH_UP_MAX = 5_000;

/** One indexable filter: its SQL (with the `a.` column), the same kept off indexes (unary +), its parameters. */
interface Filter {
  sql: string;
  unindexed: string;
  params: SQLInputValue[];
}

function filter(column: string, condition: string, params: SQLInputValue[]): Filter {
  // Unary + makes a column an expression, so SQLite cannot use an index for it:
  // https://www.sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_
  return { sql: `a.${column} ${condition}`, unindexed: `+a.${column} ${condition}`, params };
}

export function createLogStore(db: Database, options: LogStoreOptions = {}): LogStore {
  migrate(db, LOG_MIGRATIONS);
  const SELECTIVE = options.selectiveBelow ?? DEFAULT_SELECTIVE;
  const WALK_BUDGET_MS = options.walkBudgetMs ?? DEFAULT_WALK_BUDGET_MS;
  const FIRST = Math.max(1, options.firstSlice ?? FIRST_SLICE);
  // Two statements: SQLite answers a lone min() or max() from the index edge, but both in one
  // query scan the table (https://www.sqlite.org/optoverview.html#the_min_max_optimization).
  const lowestId = db.prepare('SELECT min(id) AS id FROM log_attempts');
  const highestId = db.prepare('SELECT max(id) AS id FROM log_attempts');
  /** Counts matches, but stops at SELECTIVE: cheap however big the log is. */
  function countUpTo(filters: string[], params: SQLInputValue[]): number {
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts a WHERE ${filters.join(' AND ')} LIMIT ${Math.max(SELECTIVE, 1)})`;
    return Number((db.prepare(sql).get(...params) as { n: number }).n);
  }
  const textCount = db.prepare(
    `SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts_text WHERE log_attempts_text MATCH ? LIMIT ${Math.max(SELECTIVE, 1)})`,
  );
  function countTextUpTo(match: string): number {
    return Number((textCount.get(match) as { n: number }).n);
  }
  const insert = db.prepare(`
    INSERT INTO log_attempts (time, source, job_id, row_number, profile_id, profile_name, region, user_pool_id,
      client_id, username, outcome, user_sub, user_confirmed, delivery_medium, destination, attribute_name,
      error_name, error_message, request_id, note)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare('SELECT * FROM log_attempts WHERE id = ?');
  const timeOf = db.prepare('SELECT time FROM log_attempts WHERE id = ?');
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
  /** Entries above an id, counted up to a limit (cheap however long the tail is). */
  const waitingAfter = db.prepare(
    'SELECT count(*) AS n FROM (SELECT 1 FROM log_attempts WHERE id > ? LIMIT ?)',
  );
  const markOf = (): number => Number((indexedThrough.get() as { id: number }).id);

  function catchUpText(maxRows = TEXT_CATCH_UP_CHUNK): number {
    const work = (): number => {
      const from = markOf();
      const to = (batchEnd.get(from, Math.max(0, maxRows)) as { id: number | null }).id;
      if (to === null) return 0;
      const added = Number(indexBatch.run(from, to).changes);
      setIndexedThrough.run(to);
      return added;
    };
    // Inside a caller's transaction the batch becomes part of it (and rolls back with it).
    return db.isTransaction ? work() : transaction(db, work);
  }

  /**
   * Before a text query: index what is waiting (up to QUERY_CATCH_UP entries), then return the
   * highest indexed id; entries above it are searched with LIKE. A failure to index (another
   * process holds the write lock past busy_timeout) only makes the LIKE tail longer.
   */
  function indexedForQuery(): number {
    try {
      if (QUERY_CATCH_UP > 0) catchUpText(QUERY_CATCH_UP);
    } catch {
      // The tail is searched with LIKE below; nothing is missed.
    }
    return markOf();
  }

  return {
    record(entry) {
      const result = insert.run(
        entry.time,
        entry.source,
        entry.jobId ?? null,
        entry.rowNumber ?? null,
        entry.profileId ?? null,
        entry.profileName ?? null,
        entry.region,
        entry.userPoolId ?? null,
        entry.clientId,
        entry.username,
        entry.outcome,
        entry.userSub ?? null,
        entry.userConfirmed === undefined ? null : entry.userConfirmed ? 1 : 0,
        entry.deliveryMedium ?? null,
        entry.destination ?? null,
        entry.attributeName ?? null,
        entry.errorName ?? null,
        entry.errorMessage ?? null,
        entry.requestId ?? null,
        entry.note ?? null,
      );
      return Number(result.lastInsertRowid);
    },

    catchUpText,

    get(id) {
      const row = byId.get(id) as Row | undefined;
      if (row === undefined) throw new AppError('LogEntryNotFound', `There is no log entry ${id}.`);
      return toEntry(row);
    },

    query(raw) {
      const q = LogQuerySchema.parse(raw);
      const filters: Filter[] = [];
      if (q.outcomes !== undefined && q.outcomes.length > 0)
        filters.push(filter('outcome', `IN (${q.outcomes.map(() => '?').join(', ')})`, [...q.outcomes]));
      if (q.jobId !== undefined && q.jobId !== '') filters.push(filter('job_id', '= ?', [q.jobId]));
      if (q.deliveryMedium !== undefined) filters.push(filter('delivery_medium', '= ?', [q.deliveryMedium]));
      if (q.errorName !== undefined && q.errorName !== '')
        filters.push(filter('error_name', '= ?', [q.errorName]));
      const fromTime = bound(q.from, 'from');
      const toTime = bound(q.to, 'to');
      const dated = fromTime !== undefined || toTime !== undefined;
      if (dated) {
        const parts = [
          ...(fromTime === undefined ? [] : ['>= ?']),
          ...(toTime === undefined ? [] : ['<= ?']),
        ];
        const params = [
          ...(fromTime === undefined ? [] : [fromTime]),
          ...(toTime === undefined ? [] : [toTime]),
        ];
        filters.push({
          sql: parts.map((p) => `a.time ${p}`).join(' AND '),
          unindexed: parts.map((p) => `+a.time ${p}`).join(' AND '),
          params,
        });
      }
      const text = q.text?.trim() ?? '';
      const textSql = `(${TEXT_COLUMNS.map((c) => `a.${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
      const textFilter: Filter[] =
        text === ''
          ? []
          : [{ sql: textSql, unindexed: textSql, params: TEXT_COLUMNS.map(() => likePattern(text)) }];

      // With a date range the list is in time order (newest first, id breaking ties), so that a
      // range far in the past is walked along the time index instead of from the newest entry;
      // entries are recorded as they happen, so that is the id order in practice. Every plan
      // sorts the same way for the same filters, so pages chain whichever plan each page takes.
      const order = dated ? 'a.time DESC, a.id DESC' : 'a.id DESC';
      const cursorTime =
        dated && q.before !== undefined
          ? (timeOf.get(q.before) as { time: string } | undefined)?.time
          : undefined;
      // A row value compares (time, id) as one key, along the (time) index (which ends with the id).
      // https://www.sqlite.org/rowvalue.html
      const cursor: Filter[] =
        q.before === undefined
          ? []
          : cursorTime !== undefined
            ? [
                {
                  sql: '(a.time, a.id) < (?, ?)',
                  unindexed: '(a.time, a.id) < (?, ?)',
                  params: [cursorTime, q.before],
                },
              ]
            : [{ sql: 'a.id < ?', unindexed: 'a.id < ?', params: [q.before] }];
      const need = q.limit + 1;
      const select = (parts: Filter[], from = 'log_attempts a', orderBy = order): Row[] => {
        const where = parts.length > 0 ? `WHERE ${parts.map((f) => f.sql).join(' AND ')}` : '';
        const sql = `SELECT a.* FROM ${from} ${where} ORDER BY ${orderBy} LIMIT ?`;
        return db.prepare(sql).all(...parts.flatMap((f) => f.params), need) as unknown as Row[];
      };
      const page = (rows: Row[], partialCursor: number | null = null): LogPage => {
        const entries = rows.slice(0, q.limit).map(toEntry);
        const more = rows.length > q.limit;
        return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : partialCursor };
      };

      // What drives the query, by how many rows each part matches (counted up to SELECTIVE, so the
      // counting stays cheap however big the log is):
      // 1. rare text → the text index gives the few candidates, everything else is checked on them;
      // 2. a selective filter (a job, a rare error or outcome, a short time range) → the index of
      //    the most selective one gives the rows, the rest is checked on them and they are sorted;
      // 3. a wide date range → walk the time index newest first;
      // 4. common text → walk the text index newest first (it yields rowids in order);
      // 5. otherwise walk newest first along the primary key (or the job's index).
      const ftsText = Array.from(text).length >= 3;
      const match = ftsText ? trigramQuery(text) : '';
      // Entries above `indexed` are not in the text index yet: they are candidates too, checked by
      // the LIKE text filter like every candidate.
      const indexed = ftsText ? indexedForQuery() : 0;
      const tail = ftsText
        ? Number((waitingAfter.get(indexed, Math.max(SELECTIVE, 1)) as { n: number }).n)
        : 0;
      if (ftsText && tail < SELECTIVE && countTextUpTo(match) + tail < SELECTIVE) {
        const candidates: Filter = {
          sql:
            tail === 0
              ? 'a.id IN (SELECT rowid FROM log_attempts_text WHERE log_attempts_text MATCH ?)'
              : '(a.id IN (SELECT rowid FROM log_attempts_text WHERE log_attempts_text MATCH ?) OR a.id > ?)',
          unindexed: '',
          params: tail === 0 ? [match] : [match, indexed],
        };
        return page(select([candidates, ...filters.map(unindexed), ...textFilter, ...cursor]));
      }
      let driver: Filter | undefined;
      let fewest = SELECTIVE;
      for (const f of filters) {
        const n = countUpTo([f.sql], f.params);
        if (n < fewest) [driver, fewest] = [f, n];
      }
      if (driver !== undefined) {
        const others = filters.filter((f) => f !== driver).map(unindexed);
        return page(select([driver, ...others, ...textFilter, ...cursor]));
      }

      const deadline = performance.now() + WALK_BUDGET_MS;
      const checks = [...filters.map((f) => (dated ? unindexed(f) : f)), ...textFilter];
      if (dated) {
        // Slices of the time index: each ends at the entry `width` below the previous end.
        const time = filters.at(-1) as Filter;
        const boundary = (upper: Filter[], width: number): { time: string; id: number } | undefined =>
          db
            .prepare(
              `SELECT time, id FROM log_attempts a INDEXED BY log_attempts_time
               WHERE ${[time, ...upper].map((f) => f.sql).join(' AND ')}
               ORDER BY a.time DESC, a.id DESC LIMIT 1 OFFSET ?`,
            )
            .get(...[time, ...upper].flatMap((f) => f.params), width - 1) as
            { time: string; id: number } | undefined;
        const rows: Row[] = [];
        let upper = cursor;
        for (let width = FIRST; ; width = Math.min(width * 2, LAST_SLICE)) {
          const edge = boundary(upper, width);
          const lower: Filter[] =
            edge === undefined
              ? []
              : [{ sql: '(a.time, a.id) >= (?, ?)', unindexed: '', params: [edge.time, edge.id] }];
          // INDEXED BY: the time index is the walk; the planner would otherwise favour an equality
          // index and sort all of its rows. https://www.sqlite.org/lang_indexedby.html
          rows.push(
            ...select([time, ...checks, ...upper, ...lower], 'log_attempts a INDEXED BY log_attempts_time'),
          );
          if (rows.length >= need || edge === undefined) return page(rows);
          if (performance.now() > deadline) return page(rows, edge.id);
          upper = [{ sql: '(a.time, a.id) < (?, ?)', unindexed: '', params: [edge.time, edge.id] }];
        }
      }

      // Slices of ids, newest first, along the text index, the job's index or the primary key.
      const lowest = (lowestId.get() as { id: number | null }).id;
      const highest = (highestId.get() as { id: number | null }).id;
      if (lowest === null || highest === null) return page([]);
      let hi = Math.min(q.before ?? highest + 1, highest + 1);
      const viaText = ftsText && q.jobId === undefined;
      const rows: Row[] = [];
      for (let width = FIRST; hi > lowest; width = Math.min(width * 2, LAST_SLICE)) {
        let lo = Math.max(lowest, hi - width);
        if (viaText && hi > indexed + 1) {
          // Not in the text index yet: this part of the slice is checked with LIKE.
          lo = Math.max(lo, indexed + 1);
          const slice: Filter = { sql: 'a.id >= ? AND a.id < ?', unindexed: '', params: [lo, hi] };
          rows.push(...select([...checks, slice]));
        } else if (viaText) {
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
            ...(db
              .prepare(sql)
              .all(match, lo, hi, ...checks.flatMap((f) => f.params), need) as unknown as Row[]),
          );
        } else {
          const slice: Filter = { sql: 'a.id >= ? AND a.id < ?', unindexed: '', params: [lo, hi] };
          rows.push(...select([...checks, slice]));
        }
        if (rows.length >= need) return page(rows);
        hi = lo;
        if (hi > lowest && performance.now() > deadline) return page(rows, hi);
      }
      return page(rows);
    },
  };
}
