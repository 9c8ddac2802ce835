/**
 * Typed reads. node:sqlite answers rows as records of SQL values
 * (https://nodejs.org/api/sqlite.html#statementallnamedparameters-anonymousparameters); each store
 * names the shape of its rows in an interface, which is its promise about its own SQL (the columns
 * its SELECT names and their types). This is the one place that takes that promise, so no store
 * casts a result itself. Data a row can hold beyond that promise (JSON in a TEXT column) is parsed
 * with a schema by the store that reads it.
 */
import type { SQLInputValue, StatementSync } from 'node:sqlite';

type Params = readonly SQLInputValue[];

/** The one cast: what a statement answers, taken as the row interface its caller names. */
function typed<R>(answer: unknown): R {
  return answer as R;
}

/** Every row, as the row interface `R`, or mapped through `map` (which names `R` by its parameter). */
export function queryAll<R>(statement: StatementSync, params?: Params): R[];
export function queryAll<R, T>(statement: StatementSync, params: Params, map: (row: R) => T): T[];
export function queryAll<R, T>(
  statement: StatementSync,
  params: Params = [],
  map?: (row: R) => T,
): Array<R | T> {
  const rows = typed<R[]>(statement.all(...params));
  return map === undefined ? rows : rows.map(map);
}

/** The first row, as `R` (or mapped), or undefined when there is none. */
export function queryGet<R>(statement: StatementSync, params?: Params): R | undefined;
export function queryGet<R, T>(statement: StatementSync, params: Params, map: (row: R) => T): T | undefined;
export function queryGet<R, T>(
  statement: StatementSync,
  params: Params = [],
  map?: (row: R) => T,
): R | T | undefined {
  const row = typed<R | undefined>(statement.get(...params));
  return row === undefined || map === undefined ? row : map(row);
}

/** The one row an aggregate without GROUP BY (count, min, max) always answers. */
export function queryAggregate<R>(statement: StatementSync, params: Params = []): R {
  const row = queryGet<R>(statement, params);
  if (row === undefined) throw new Error('An aggregate query answered no row.');
  return row;
}
