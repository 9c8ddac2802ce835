/**
 * A log query turned into SQL conditions on `log_attempts a`. Each indexable filter comes twice:
 * as written (so its index can drive the query) and kept off indexes, for when another index
 * drives it and this one is only checked on the rows that one gives.
 */
import type { LogQuerySchema } from '@shared/contract';
import type { SQLInputValue } from 'node:sqlite';
import type { z } from 'zod';
import { AppError } from '../errors';
import { TEXT_COLUMNS } from './log-schema';

export type ParsedLogQuery = z.output<typeof LogQuerySchema>;

/** One condition: its SQL (with the `a.` column), the same kept off indexes (unary +), its parameters. */
export interface Filter {
  sql: string;
  unindexed: string;
  params: SQLInputValue[];
}

function filter(column: string, condition: string, params: SQLInputValue[]): Filter {
  // Unary + makes a column an expression, so SQLite cannot use an index for it:
  // https://www.sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_
  return { sql: `a.${column} ${condition}`, unindexed: `+a.${column} ${condition}`, params };
}

/** A condition with no index to keep it off (or none it could use). */
export function plain(sql: string, params: SQLInputValue[], unindexed = ''): Filter {
  return { sql, unindexed, params };
}

export const unindexed = (f: Filter): Filter => ({ ...f, sql: f.unindexed });

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

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface Conditions {
  /** The indexable filters: outcome, job, medium, error name, then the time range (always last). */
  filters: Filter[];
  /** The free text, trimmed ('' for none). */
  text: string;
  /** The text's LIKE check on the entry itself (none without text). */
  textFilter: Filter[];
  /** A date range is given: the list is then in time order. */
  dated: boolean;
  /** The ORDER BY every plan uses for these conditions. */
  order: string;
}

/** Throws AppError('InvalidRequest') for a `from` or `to` that is not a date or time. */
export function conditionsOf(q: ParsedLogQuery): Conditions {
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
    const parts = [...(fromTime === undefined ? [] : ['>= ?']), ...(toTime === undefined ? [] : ['<= ?'])];
    const params = [...(fromTime === undefined ? [] : [fromTime]), ...(toTime === undefined ? [] : [toTime])];
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
      : [
          plain(
            textSql,
            TEXT_COLUMNS.map(() => likePattern(text)),
            textSql,
          ),
        ];
  // With a date range the list is in time order (newest first, id breaking ties), so that a
  // range far in the past is walked along the time index instead of from the newest entry;
  // entries are recorded as they happen, so that is the id order in practice. Every plan
  // sorts the same way for the same filters, so pages chain whichever plan each page takes.
  const order = dated ? 'a.time DESC, a.id DESC' : 'a.id DESC';
  return { filters, text, textFilter, dated, order };
}

/**
 * The keyset cursor: entries after `before` in the list's order. `beforeTime` is that entry's
 * time when the list is in time order (undefined otherwise, or when the entry is gone).
 */
export function cursorOf(before: number | undefined, beforeTime: string | undefined): Filter[] {
  if (before === undefined) return [];
  // A row value compares (time, id) as one key, along the (time) index (which ends with the id).
  // https://www.sqlite.org/rowvalue.html
  if (beforeTime !== undefined)
    return [plain('(a.time, a.id) < (?, ?)', [beforeTime, before], '(a.time, a.id) < (?, ?)')];
  return [plain('a.id < ?', [before], 'a.id < ?')];
}
