/**
 * A log entry as the log_attempts table holds it, and the mapping both ways: absent fields are
 * NULL in the table and absent (not undefined) in the entry, and userConfirmed is 0/1.
 */
import type { LogEntry } from '@shared/contract';
import type { Database } from '../store/database';

export type NewLogEntry = Omit<LogEntry, 'id'>;

/**
 * A log_attempts row as `SELECT a.*` reads it. Source and outcome are trusted as typed: only
 * entryWriter writes the table, from a typed entry.
 */
export interface LogRow {
  id: number;
  time: string;
  source: LogEntry['source'];
  job_id: string | null;
  row_number: number | null;
  profile_id: string | null;
  profile_name: string | null;
  region: string;
  user_pool_id: string | null;
  client_id: string;
  username: string;
  outcome: LogEntry['outcome'];
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

export function toLogEntry(row: LogRow): LogEntry {
  const optional = <K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> =>
    value === null ? {} : ({ [key]: value } as Record<K, V>);
  return {
    id: row.id,
    time: row.time,
    source: row.source,
    ...optional('jobId', row.job_id),
    ...optional('rowNumber', row.row_number),
    ...optional('profileId', row.profile_id),
    ...optional('profileName', row.profile_name),
    region: row.region,
    ...optional('userPoolId', row.user_pool_id),
    clientId: row.client_id,
    username: row.username,
    outcome: row.outcome,
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

/** Prepares the insert once; the writer returns the new entry's id. */
export function entryWriter(db: Database): (entry: NewLogEntry) => number {
  const insert = db.prepare(`
    INSERT INTO log_attempts (time, source, job_id, row_number, profile_id, profile_name, region, user_pool_id,
      client_id, username, outcome, user_sub, user_confirmed, delivery_medium, destination, attribute_name,
      error_name, error_message, request_id, note)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Positional arguments, no intermediate array: the import engine records an entry per CSV row.
  return (entry) => {
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
  };
}
