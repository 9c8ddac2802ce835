import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '../store/database';
import { createLogStore, type LogStore, type NewLogEntry } from './log-store';
import { logFacets } from './log-facets';

let dir: string;
let db: Database;
let log: LogStore;
const entry = (overrides: Partial<NewLogEntry>): NewLogEntry => ({
  time: '2026-05-01T10:00:00.000Z',
  source: 'import',
  region: 'eu-west-1',
  clientId: 'c',
  username: 'u',
  outcome: 'created',
  ...overrides,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-facets-'));
  db = openDatabase(join(dir, 'test.sqlite'));
  log = createLogStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('offers each error name and job id once, sorted, and nothing for an empty log', () => {
  expect(logFacets(db)).toEqual({ errorNames: [], jobIds: [] });
  for (const [jobId, errorName] of [
    ['job-b', 'UsernameExistsException'],
    ['job-a', undefined],
    ['job-b', 'InvalidPasswordException'],
    ['job-a', 'UsernameExistsException'],
    [undefined, 'InternalErrorException'],
  ] as const) {
    log.record(entry({ ...(jobId && { jobId }), ...(errorName && { errorName }) }));
  }
  expect(logFacets(db)).toEqual({
    errorNames: ['InternalErrorException', 'InvalidPasswordException', 'UsernameExistsException'],
    jobIds: ['job-a', 'job-b'],
  });
});

it('jumps between values on the partial indexes instead of reading every entry', () => {
  const plan = db
    .prepare('EXPLAIN QUERY PLAN SELECT (SELECT min(job_id) FROM log_attempts WHERE job_id > ?)')
    .all('x') as Array<{ detail: string }>;
  expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING COVERING INDEX log_attempts_job \(job_id>\?\)/);
});
