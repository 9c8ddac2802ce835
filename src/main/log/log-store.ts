/**
 * The durable log of every SignUp attempt (form, CLI, import): what was tried, for whom, and what
 * Cognito answered — never a password, client secret or SecretHash (there are no columns for them).
 *
 * Built for 1,000,000+ rows: newest-first keyset paging on the primary key (no OFFSET), one index
 * per filter that leads with the filtered column and ends with id, and an FTS5 trigram index for
 * the free-text filter, so substring search is an index lookup instead of a table scan.
 * https://www.sqlite.org/fts5.html#the_trigram_tokenizer
 */
import type { LogEntry, LogPage, LogQuery } from '@shared/contract';
import { LogQuerySchema } from '@shared/contract';
import type { SQLInputValue } from 'node:sqlite';
import { migrate, type Database } from '../store/database';
import { AppError } from '../errors';

export type NewLogEntry = Omit<LogEntry, 'id'>;

export interface LogStore {
  /** Synchronous so the import engine can record inside its own transaction. Returns the new id. */
  record(entry: NewLogEntry): number;
  query(query: LogQuery): LogPage;
  /** Throws AppError('LogEntryNotFound') for an unknown id. */
  get(id: number): LogEntry;
}

const TEXT_COLUMNS = [
  'username',
  'user_sub',
  'destination',
  'error_name',
  'error_message',
  'profile_name',
] as const;

const MIGRATIONS = [
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
        content = 'log_attempts', content_rowid = 'id', tokenize = 'trigram'
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

/** An FTS5 phrase: the text taken literally (double quotes doubled). */
function phrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Below this many matching rows, the filters' own indexes drive a query (see query()). */
const DEFAULT_SELECTIVE = 20_000;

export interface LogStoreOptions {
  /** Query-planning threshold (rows); tests set it to 0 to exercise the "walk newest first" plans. */
  selectiveBelow?: number;
}

export function createLogStore(db: Database, options: LogStoreOptions = {}): LogStore {
  migrate(db, MIGRATIONS);
  const SELECTIVE = options.selectiveBelow ?? DEFAULT_SELECTIVE;
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

    get(id) {
      const row = byId.get(id) as Row | undefined;
      if (row === undefined) throw new AppError('LogEntryNotFound', `There is no log entry ${id}.`);
      return toEntry(row);
    },

    query(raw) {
      const q = LogQuerySchema.parse(raw);
      // The non-text filters, all answered by an index.
      const filters: string[] = [];
      const filterParams: SQLInputValue[] = [];
      if (q.outcomes !== undefined && q.outcomes.length > 0) {
        filters.push(`a.outcome IN (${q.outcomes.map(() => '?').join(', ')})`);
        filterParams.push(...q.outcomes);
      }
      if (q.jobId !== undefined) {
        filters.push('a.job_id = ?');
        filterParams.push(q.jobId);
      }
      if (q.deliveryMedium !== undefined) {
        filters.push('a.delivery_medium = ?');
        filterParams.push(q.deliveryMedium);
      }
      if (q.errorName !== undefined && q.errorName !== '') {
        filters.push('a.error_name = ?');
        filterParams.push(q.errorName);
      }
      const fromTime = bound(q.from, 'from');
      const toTime = bound(q.to, 'to');
      if (fromTime !== undefined) {
        filters.push('a.time >= ?');
        filterParams.push(fromTime);
      }
      if (toTime !== undefined) {
        filters.push('a.time <= ?');
        filterParams.push(toTime);
      }
      if (q.before !== undefined) {
        filters.push('a.id < ?');
        filterParams.push(q.before);
      }
      const text = q.text?.trim() ?? '';
      const likeText = `(${TEXT_COLUMNS.map((c) => `a.${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
      const likeParams = TEXT_COLUMNS.map(() => likePattern(text));

      // Pick what drives the query, by how many rows each part matches (counted up to SELECTIVE,
      // so the counting stays cheap however big the log is):
      // 1. rare text → the FTS index gives the few ids, the filters are checked on them;
      // 2. selective filters (a small job, a rare error, a short time range) → their index gives the ids,
      //    the text is checked per row;
      // 3. otherwise walk newest first — along the job's index, the FTS index or the table — until
      //    a page is full.
      const hasFilters = filters.length > (q.before === undefined ? 0 : 1);
      const ftsText = text.length >= 3;
      const textCount = ftsText ? countTextUpTo(phrase(text)) : SELECTIVE;
      let sql: string;
      let params: SQLInputValue[];
      if (ftsText && textCount < SELECTIVE) {
        sql = `SELECT a.* FROM log_attempts a
          WHERE a.id IN (SELECT rowid FROM log_attempts_text WHERE log_attempts_text MATCH ?)
          ${filters.length > 0 ? `AND ${filters.join(' AND ')}` : ''}
          ORDER BY a.id DESC LIMIT ?`;
        params = [phrase(text), ...filterParams];
      } else if (hasFilters && countUpTo(filters, filterParams) < SELECTIVE) {
        sql = `SELECT a.* FROM log_attempts a
          WHERE a.id IN (SELECT a.id FROM log_attempts a WHERE ${filters.join(' AND ')})
          ${text === '' ? '' : `AND ${likeText}`}
          ORDER BY a.id DESC LIMIT ?`;
        params = [...filterParams, ...(text === '' ? [] : likeParams)];
      } else if (ftsText && q.jobId === undefined) {
        // CROSS JOIN keeps the FTS table as the outer loop (https://www.sqlite.org/optoverview.html#crossjoin);
        // FTS5 yields rowids in descending order, so the page needs no sort.
        const where = ['log_attempts_text MATCH ?', ...filters.map((f) => f.replace('a.id <', 'f.rowid <'))];
        sql = `SELECT a.* FROM log_attempts_text f CROSS JOIN log_attempts a ON a.id = f.rowid
          WHERE ${where.join(' AND ')} ORDER BY f.rowid DESC LIMIT ?`;
        params = [phrase(text), ...filterParams];
      } else {
        // Newest first along the primary key, or along (job_id, id) for a job. Unary + keeps SQLite
        // from picking the time index (and sorting a huge range) when walking finds a page sooner.
        const where = [
          ...filters.map((f) => f.replace(/^a\.time/, '+a.time')),
          ...(text === '' ? [] : [likeText]),
        ];
        sql = `SELECT a.* FROM log_attempts a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY a.id DESC LIMIT ?`;
        params = [...filterParams, ...(text === '' ? [] : likeParams)];
      }
      params.push(q.limit + 1);
      const rows = db.prepare(sql).all(...params) as unknown as Row[];
      const more = rows.length > q.limit;
      const entries = rows.slice(0, q.limit).map(toEntry);
      return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : null };
    },
  };
}
