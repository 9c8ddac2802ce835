import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogStore, type NewLogEntry } from '../log/log-store';
import { openDatabase, type Database } from '../store/database';
import {
  createJobStore,
  type JobSettings,
  type JobStore,
  type RowOutcome,
  type StoredRow,
} from './job-store';

let dir: string;
let dbPath: string;
let db: Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signup-desk-jobs-'));
  dbPath = join(dir, 'desk.sqlite');
  db = openDatabase(dbPath);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const settings = (): JobSettings => ({
  connection: { region: 'us-east-1', clientId: 'abc' },
  overrides: {},
  mapping: { columns: [], unknown: [], missingRequired: [], duplicates: [] },
  delimiter: ',',
  encoding: 'utf-8',
  // A caller passing the whole source must not get the password stored.
  passwordSource: { kind: 'shared', password: 'Do-Not-Store-1' } as unknown as JobSettings['passwordSource'],
  rate: 10,
  concurrency: 2,
  caseSensitiveUsernames: false,
});

const entry = (username: string): NewLogEntry => ({
  time: new Date().toISOString(),
  source: 'import',
  jobId: 'job-1',
  rowNumber: 2,
  region: 'us-east-1',
  clientId: 'abc',
  username,
  outcome: 'created',
});

/** The stored row at `index` whatever its state, read through the store's own queries; undefined when it has no record. */
function rowAt(store: JobStore, jobId: string, index: number): StoredRow | undefined {
  const state = store.statesBetween(jobId, index, index).get(index);
  return state === undefined ? undefined : store.rowsInState(jobId, state).find((row) => row.index === index);
}

describe('createJobStore', () => {
  it('stores the job without the shared password and survives a reopen', () => {
    const store = createJobStore(db, createLogStore(db));
    store.createJob({
      id: 'job-1',
      sourcePath: '/x.csv',
      sourceSha256: 'f00',
      settings: settings(),
      selection: [3, 5],
    });
    expect(store.getJob('job-1')?.settings.passwordSource).toEqual({ kind: 'shared' });
    expect(JSON.stringify(db.prepare('SELECT * FROM import_jobs').all())).not.toContain('Do-Not-Store-1');
    const reopened = openDatabase(dbPath);
    try {
      const again = createJobStore(reopened, createLogStore(reopened));
      expect(again.getJob('job-1')).toMatchObject({ state: 'running', sourceSha256: 'f00', totalRows: null });
      expect([again.inSelection('job-1', 3), again.inSelection('job-1', 4)]).toEqual([true, false]);
    } finally {
      reopened.close();
    }
  });

  it('commits a row outcome and its log entry together, or neither', () => {
    const log = createLogStore(db);
    let fail = false;
    const store = createJobStore(db, {
      record: (e) => {
        const id = log.record(e);
        if (fail) throw new Error('disk full');
        return id;
      },
    });
    store.createJob({
      id: 'job-1',
      sourcePath: '/x.csv',
      sourceSha256: 'f00',
      settings: settings(),
    });
    store.reserve('job-1', [{ index: 0, line: 2, username: 'a' }]);
    expect(rowAt(store, 'job-1', 0)?.state).toBe('sending');
    const recorded = store.recordOutcomes('job-1', [
      { outcome: { index: 0, line: 2, username: 'a', state: 'created' }, entry: entry('a') },
    ])[0]!;
    expect(rowAt(store, 'job-1', 0)).toMatchObject({ state: 'created', logId: recorded.id });

    fail = true;
    store.reserve('job-1', [{ index: 1, line: 3, username: 'b' }]);
    expect(() =>
      store.recordOutcomes('job-1', [
        { outcome: { index: 1, line: 3, username: 'b', state: 'created' }, entry: entry('b') },
      ]),
    ).toThrow('disk full');
    expect(rowAt(store, 'job-1', 1)?.state).toBe('sending');
    expect(log.query({ text: 'b', limit: 10 }).entries.filter((e) => e.username === 'b')).toHaveLength(0);
    expect(store.counts('job-1')).toMatchObject({ created: 1, sending: 1 });
  });

  it('reserves rows in one transaction, commits a group of outcomes all or none, and releases unsent rows', () => {
    const log = createLogStore(db);
    let failOn: string | null = null;
    const store = createJobStore(db, {
      record: (e) => {
        if (e.username === failOn) throw new Error('disk full');
        return log.record(e);
      },
    });
    store.createJob({
      id: 'job-1',
      sourcePath: '/x.csv',
      sourceSha256: 'f',
      settings: settings(),
    });
    const refs = ['a', 'b', 'c', 'd'].map((username, index) => ({ index, line: index + 2, username }));
    expect(store.highestIndex('job-1')).toBeNull();
    store.reserve('job-1', refs);
    expect(store.highestIndex('job-1')).toBe(3);
    expect(store.counts('job-1')).toMatchObject({ sending: 4 });

    const outcome = (index: number): { outcome: RowOutcome; entry: NewLogEntry } => {
      const ref = refs[index] ?? { index, line: 0, username: '?' };
      return { outcome: { ...ref, state: 'created' }, entry: entry(ref.username) };
    };
    // A group whose second entry cannot be written: nothing of it is stored.
    failOn = 'b';
    expect(() => store.recordOutcomes('job-1', [outcome(0), outcome(1)])).toThrow('disk full');
    expect(store.counts('job-1')).toMatchObject({ sending: 4, created: 0 });
    expect(log.query({ limit: 10 }).entries).toHaveLength(0);

    failOn = null;
    const recorded = store.recordOutcomes('job-1', [outcome(0), outcome(1)]);
    expect(recorded.map((e) => e.username)).toEqual(['a', 'b']);
    expect(rowAt(store, 'job-1', 1)).toMatchObject({ state: 'created', logId: recorded[1]?.id });
    expect([...store.statesBetween('job-1', 1, 3)]).toEqual([
      [1, 'created'],
      [2, 'sending'],
      [3, 'sending'],
    ]);
    // Release clears only rows still 'sending': an outcome is never undone.
    store.release('job-1', [1, 2, 3]);
    expect(store.counts('job-1')).toMatchObject({ sending: 0, created: 2 });
    expect(rowAt(store, 'job-1', 1)?.state).toBe('created');
    expect(rowAt(store, 'job-1', 2)).toBeUndefined();

    // The next reservation shares the outcomes' transaction: both or neither.
    const more = ['e', 'f'].map((username, i) => ({ index: 4 + i, line: 6 + i, username }));
    store.reserve('job-1', [refs[2]!, refs[3]!]);
    failOn = 'd';
    expect(() => store.recordOutcomes('job-1', [outcome(2), outcome(3)], more)).toThrow('disk full');
    expect(store.counts('job-1')).toMatchObject({ sending: 2, created: 2 });
    expect(rowAt(store, 'job-1', 4)).toBeUndefined();
    failOn = null;
    store.recordOutcomes('job-1', [outcome(2), outcome(3)], more);
    expect(store.counts('job-1')).toMatchObject({ sending: 2, created: 4 });
    expect([...store.statesBetween('job-1', 4, 5)]).toEqual([
      [4, 'sending'],
      [5, 'sending'],
    ]);
    // A reservation alone, with no outcome waiting.
    expect(store.recordOutcomes('job-1', [], [{ index: 6, line: 8, username: 'g' }])).toEqual([]);
    expect(rowAt(store, 'job-1', 6)?.state).toBe('sending');
  });

  it('names the job whose stored settings are damaged, instead of handing them on', () => {
    const store = createJobStore(db, createLogStore(db));
    for (const id of ['bad-json', 'bad-shape'])
      store.createJob({ id, sourcePath: '/x.csv', sourceSha256: 'f', settings: settings() });
    const write = db.prepare('UPDATE import_jobs SET settings = ? WHERE id = ?');
    write.run('{"connection":', 'bad-json');
    write.run(JSON.stringify({ ...settings(), passwordSource: { kind: 'generated' } }), 'bad-shape');
    expect(() => store.getJob('bad-json')).toThrow(
      expect.objectContaining({
        name: 'JobDamaged',
        message: expect.stringMatching(/bad-json.*not valid JSON/),
      }),
    );
    expect(() => store.getJob('bad-shape')).toThrow(
      expect.objectContaining({
        name: 'JobDamaged',
        message: expect.stringMatching(/bad-shape.*passwordSource/),
      }),
    );
    expect(() => store.listJobs()).toThrow(/damaged/);
  });
});
