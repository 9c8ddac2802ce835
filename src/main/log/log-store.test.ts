import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, transaction, type Database } from '../store/database';
import { migrate } from '../store/database';
import { createLogStore, LOG_MIGRATIONS, type LogStore, type NewLogEntry } from './log-store';

let dir: string;
let db: Database;
let log: LogStore;

const entry = (overrides: Partial<NewLogEntry> = {}): NewLogEntry => ({
  time: '2026-05-01T10:00:00.000Z',
  source: 'form',
  region: 'eu-west-1',
  clientId: 'client1',
  username: 'alice',
  outcome: 'created',
  ...overrides,
});

// Both query plans: the index-driven ones (few matches) and the newest-first walks (many matches),
// the latter forced with selectiveBelow 0 since a test log is small.
// And both again with the text index left behind (queryCatchUpMax 0): text search then reads the
// not-yet-indexed entries with LIKE, and must find the same entries.
describe.each([
  { plans: 'index-driven plans', selectiveBelow: undefined, queryCatchUpMax: undefined },
  { plans: 'newest-first walking plans', selectiveBelow: 0, queryCatchUpMax: undefined },
  { plans: 'index-driven plans, text index behind', selectiveBelow: undefined, queryCatchUpMax: 0 },
  { plans: 'newest-first walking plans, text index behind', selectiveBelow: 0, queryCatchUpMax: 0 },
])('log store ($plans)', ({ selectiveBelow, queryCatchUpMax }) => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-store-'));
    db = openDatabase(join(dir, 'test.sqlite'));
    log = createLogStore(db, {
      ...(selectiveBelow !== undefined && { selectiveBelow }),
      ...(queryCatchUpMax !== undefined && { queryCatchUpMax }),
    });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records and reads back every field, without inventing absent ones', () => {
    const full: NewLogEntry = {
      time: '2026-05-01T10:00:00.000Z',
      source: 'import',
      jobId: 'job-1',
      rowNumber: 7,
      profileId: 'p1',
      profileName: 'Staging',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_abc',
      clientId: 'client1',
      username: 'bob',
      outcome: 'created',
      userSub: 'sub-1',
      userConfirmed: false,
      deliveryMedium: 'EMAIL',
      destination: 'b***@e***',
      attributeName: 'email',
      errorName: 'X',
      errorMessage: 'Y',
      requestId: 'req-1',
      note: 'possibly created by the interrupted attempt',
    };
    const id = log.record(full);
    expect(log.get(id)).toEqual({ id, ...full });
    const minimal = log.record(entry());
    expect(log.get(minimal)).toEqual({ id: minimal, ...entry() });
  });

  it('has no column that could hold a password or a secret', () => {
    const columns = (db.prepare('PRAGMA table_info(log_attempts)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(columns).toContain('username');
    for (const column of columns) expect(column).not.toMatch(/password|secret|hash/i);
  });

  it('is usable inside a transaction (rolled back with it)', () => {
    expect(() =>
      transaction(db, () => {
        log.record(entry({ username: 'gone' }));
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(log.query({ text: 'gone' }).entries).toEqual([]);
    transaction(db, () => log.record(entry({ username: 'kept' })));
    expect(log.query({ text: 'kept' }).entries).toHaveLength(1);
  });

  it('pages newest first with a keyset cursor', () => {
    const ids = Array.from({ length: 25 }, (_, i) => log.record(entry({ username: `user${i}` })));
    const first = log.query({ limit: 10 });
    expect(first.entries.map((e) => e.id)).toEqual(ids.slice(15).reverse());
    expect(first.nextCursor).toBe(ids[15]);
    const second = log.query({ limit: 10, before: first.nextCursor! });
    expect(second.entries.map((e) => e.id)).toEqual(ids.slice(5, 15).reverse());
    const third = log.query({ limit: 10, before: second.nextCursor! });
    expect(third.entries.map((e) => e.id)).toEqual(ids.slice(0, 5).reverse());
    expect(third.nextCursor).toBeNull();
    // Exactly a page left: no phantom next page.
    expect(log.query({ limit: 5, before: ids[5]! }).nextCursor).toBeNull();
  });

  it('filters by outcome, job, medium, error name and time', () => {
    log.record(
      entry({ username: 'a', outcome: 'created', deliveryMedium: 'EMAIL', time: '2026-05-01T09:00:00.000Z' }),
    );
    log.record(
      entry({ username: 'b', outcome: 'exists', errorName: 'UsernameExistsException', jobId: 'j1' }),
    );
    log.record(
      entry({ username: 'c', outcome: 'rejected', errorName: 'InvalidPasswordException', jobId: 'j1' }),
    );
    log.record(
      entry({ username: 'd', outcome: 'created', deliveryMedium: 'SMS', time: '2026-05-02T09:00:00.000Z' }),
    );
    const names = (q: Parameters<LogStore['query']>[0]): string[] =>
      log.query(q).entries.map((e) => e.username);
    expect(names({ outcomes: ['created'] })).toEqual(['d', 'a']);
    expect(names({ outcomes: ['exists', 'rejected'] })).toEqual(['c', 'b']);
    expect(names({ jobId: 'j1' })).toEqual(['c', 'b']);
    expect(names({ jobId: 'j1', outcomes: ['rejected'] })).toEqual(['c']);
    expect(names({ deliveryMedium: 'SMS' })).toEqual(['d']);
    expect(names({ errorName: 'UsernameExistsException' })).toEqual(['b']);
    expect(names({ from: '2026-05-02' })).toEqual(['d']);
    expect(names({ to: '2026-05-01' })).toEqual(['c', 'b', 'a']);
    expect(names({ from: '2026-05-01T09:30:00Z', to: '2026-05-01T10:00:00Z' })).toEqual(['c', 'b']);
    expect(() => log.query({ from: 'yesterday' })).toThrow(/not a date/);
  });

  it('finds text anywhere in username, sub, destination, error and profile name, case-insensitively', () => {
    log.record(entry({ username: 'Alice.Smith@example.com' }));
    log.record(entry({ username: 'bob', userSub: '1234-abcd-5678' }));
    log.record(entry({ username: 'carol', destination: '+*******0199' }));
    log.record(
      entry({
        username: 'dave',
        outcome: 'error',
        errorName: 'NotAuthorizedException',
        errorMessage: 'Unable to verify secret hash',
      }),
    );
    log.record(entry({ username: 'erin', profileName: 'Production EU' }));
    log.record(entry({ username: 'o"q%_x' }));
    const names = (text: string): string[] => log.query({ text }).entries.map((e) => e.username);
    expect(names('smith@EXAMPLE')).toEqual(['Alice.Smith@example.com']);
    expect(names('abcd')).toEqual(['bob']);
    expect(names('0199')).toEqual(['carol']);
    expect(names('notauthorized')).toEqual(['dave']);
    expect(names('verify secret')).toEqual(['dave']);
    expect(names('production')).toEqual(['erin']);
    // Quotes and LIKE wildcards are taken literally.
    expect(names('o"q')).toEqual(['o"q%_x']);
    expect(names('%_')).toEqual(['o"q%_x']);
    // Short text (below a trigram) still works.
    expect(names('er')).toEqual(['erin', 'dave']);
    expect(names('AL')).toEqual(['Alice.Smith@example.com']);
    expect(names('zzzz')).toEqual([]);
    // Text combines with other filters and with paging.
    expect(log.query({ text: 'example', outcomes: ['error'] }).entries).toEqual([]);
  });

  it('pages through text matches', () => {
    const ids = Array.from({ length: 7 }, (_, i) => log.record(entry({ username: `match${i}` })));
    log.record(entry({ username: 'other' }));
    const first = log.query({ text: 'match', limit: 4 });
    expect(first.entries.map((e) => e.id)).toEqual(ids.slice(3).reverse());
    const second = log.query({ text: 'match', limit: 4, before: first.nextCursor! });
    expect(second.entries.map((e) => e.id)).toEqual(ids.slice(0, 3).reverse());
    expect(second.nextCursor).toBeNull();
  });

  it('keeps the text index in step with deletes', () => {
    const id = log.record(entry({ username: 'temporary' }));
    db.prepare('DELETE FROM log_attempts WHERE id = ?').run(id);
    expect(log.query({ text: 'temporary' }).entries).toEqual([]);
  });

  it('keeps the text index in step with deletes and updates of indexed and waiting entries', () => {
    const indexedGone = log.record(entry({ username: 'indexed-gone' }));
    const indexedRenamed = log.record(entry({ username: 'indexed-old' }));
    log.catchUpText();
    const waitingGone = log.record(entry({ username: 'waiting-gone' }));
    const waitingRenamed = log.record(entry({ username: 'waiting-old' }));
    const remove = db.prepare('DELETE FROM log_attempts WHERE id = ?');
    const rename = db.prepare('UPDATE log_attempts SET username = ? WHERE id = ?');
    remove.run(indexedGone);
    remove.run(waitingGone);
    rename.run('indexed-new', indexedRenamed);
    rename.run('waiting-new', waitingRenamed);
    const names = (text: string): string[] => log.query({ text }).entries.map((e) => e.username);
    expect(names('gone')).toEqual([]);
    expect(names('-old')).toEqual([]);
    expect(names('-new')).toEqual(['waiting-new', 'indexed-new']);
    log.catchUpText();
    expect(names('-new')).toEqual(['waiting-new', 'indexed-new']);
    // The index matches its content table exactly (rank 1 compares the two; a 'delete' of a
    // never-indexed row would fail it).
    // https://www.sqlite.org/fts5.html#the_integrity_check_command
    expect(() =>
      db.exec("INSERT INTO log_attempts_text (log_attempts_text, rank) VALUES ('integrity-check', 1)"),
    ).not.toThrow();
  });

  it('runs its migration once', () => {
    log.record(entry());
    const again = createLogStore(db);
    expect(again.query({}).entries).toHaveLength(1);
  });

  it('pages a date range in time order, newest first', () => {
    const at = (day: number, username: string): number =>
      log.record(entry({ username, time: `2026-05-${String(day).padStart(2, '0')}T10:00:00.000Z` }));
    for (let day = 1; day <= 9; day++) at(day, `day${day}`);
    const first = log.query({ from: '2026-05-02', to: '2026-05-07', limit: 4 });
    expect(first.entries.map((e) => e.username)).toEqual(['day7', 'day6', 'day5', 'day4']);
    const second = log.query({ from: '2026-05-02', to: '2026-05-07', limit: 4, before: first.nextCursor! });
    expect(second.entries.map((e) => e.username)).toEqual(['day3', 'day2']);
    expect(second.nextCursor).toBeNull();
  });

  it('finds nothing, quickly, where two filters never meet', () => {
    log.record(entry({ outcome: 'error', errorName: 'InternalErrorException' }));
    log.record(entry({ outcome: 'created', deliveryMedium: 'SMS' }));
    expect(log.query({ outcomes: ['error'], deliveryMedium: 'SMS' })).toEqual({
      entries: [],
      nextCursor: null,
    });
  });

  it('says so for an unknown id', () => {
    expect(() => log.get(999)).toThrow(/no log entry 999/);
  });
});

// A walk that runs out of time returns what it has and a cursor; following the cursors gives
// exactly the entries one unhurried query gives, in the same order.
describe('log store walks in slices', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-store-'));
    db = openDatabase(join(dir, 'test.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { filters: { outcomes: ['rejected' as const] } },
    { filters: { text: 'match' } },
    { filters: { text: 'ma' } },
    { filters: { from: '2026-05-01', outcomes: ['rejected' as const] } },
    { filters: { jobId: 'j1', text: 'match' } },
  ])('follows partial pages to the same entries ($filters)', ({ filters }) => {
    const unhurried = createLogStore(db, { selectiveBelow: 0 });
    for (let i = 0; i < 60; i++) {
      unhurried.record(
        entry({
          username: i % 7 === 0 ? `match${i}` : `other${i}`,
          outcome: i % 5 === 0 ? 'rejected' : 'created',
          jobId: i % 2 === 0 ? 'j1' : 'j2',
          time: new Date(Date.parse('2026-05-01T00:00:00Z') + i * 60_000).toISOString(),
        }),
      );
    }
    const expected = unhurried.query({ ...filters, limit: 500 }).entries.map((e) => e.id);
    expect(expected.length).toBeGreaterThan(3);
    const hurried = createLogStore(db, { selectiveBelow: 0, walkBudgetMs: 0, firstSlice: 2 });
    const seen: number[] = [];
    let before: number | undefined;
    let requests = 0;
    do {
      const page = hurried.query({ ...filters, limit: 3, ...(before !== undefined && { before }) });
      seen.push(...page.entries.map((e) => e.id));
      before = page.nextCursor ?? undefined;
      requests++;
    } while (before !== undefined && requests < 200);
    expect(seen).toEqual(expected);
    // Partial pages happened: more requests than full pages would need.
    expect(requests).toBeGreaterThan(Math.ceil(expected.length / 3));
  });
});

// The text index is filled in batches (catchUpText), not by a trigger per recorded entry.
describe('log store text index catch-up', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-store-'));
    db = openDatabase(join(dir, 'test.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const indexedCount = (): number =>
    Number(
      (
        db
          .prepare("SELECT count(*) AS n FROM log_attempts_text WHERE log_attempts_text MATCH 'ser'")
          .get() as { n: number }
      ).n,
    );
  const mark = (): number =>
    Number((db.prepare('SELECT indexed_through AS n FROM log_text_progress').get() as { n: number }).n);

  it('records without indexing; catches up in bounded batches; a text query catches up first', () => {
    const store = createLogStore(db);
    const ids = Array.from({ length: 5 }, (_, i) => store.record(entry({ username: `user${i}` })));
    expect(indexedCount()).toBe(0);
    expect(store.catchUpText(2)).toBe(2);
    expect(indexedCount()).toBe(2);
    expect(mark()).toBe(ids[1]);
    store.record(entry({ username: 'user5' }));
    // The query indexes the waiting entries before it runs.
    expect(store.query({ text: 'user' }).entries.map((e) => e.username)).toEqual([
      'user5',
      'user4',
      'user3',
      'user2',
      'user1',
      'user0',
    ]);
    expect(indexedCount()).toBe(6);
    expect(store.catchUpText()).toBe(0);
  });

  it('searches a backlog bigger than a query may index with LIKE, and finds everything', () => {
    const store = createLogStore(db, { queryCatchUpMax: 3 });
    for (let i = 0; i < 10; i++) store.record(entry({ username: i % 2 === 0 ? `user${i}` : `other${i}` }));
    expect(store.query({ text: 'user' }).entries.map((e) => e.username)).toEqual([
      'user8',
      'user6',
      'user4',
      'user2',
      'user0',
    ]);
    // Only the capped batch went into the index; the rest was found in the unindexed tail.
    expect(indexedCount()).toBe(2);
    expect(mark()).toBe(3);
    const walking = createLogStore(db, { queryCatchUpMax: 0, selectiveBelow: 0, firstSlice: 2 });
    expect(walking.query({ text: 'user', limit: 3 }).entries.map((e) => e.username)).toEqual([
      'user8',
      'user6',
      'user4',
    ]);
  });

  it("indexes inside a caller's transaction, and rolls back with it", () => {
    const store = createLogStore(db);
    store.record(entry({ username: 'user0' }));
    expect(() =>
      transaction(db, () => {
        expect(store.catchUpText()).toBe(1);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(indexedCount()).toBe(0);
    expect(mark()).toBe(0);
  });

  it('migrates a database from the per-row trigger: what it indexed stays, new entries wait', () => {
    migrate(db, LOG_MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      "INSERT INTO log_attempts (time, source, region, client_id, username, outcome) VALUES ('2026-05-01T10:00:00.000Z', 'form', 'eu-west-1', 'c', ?, 'created')",
    );
    insert.run('user-old-1');
    insert.run('user-old-2');
    expect(indexedCount()).toBe(2);
    const store = createLogStore(db);
    expect(mark()).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'log_attempts_ai'").get()).toBeUndefined();
    store.record(entry({ username: 'user-new' }));
    expect(indexedCount()).toBe(2);
    expect(store.catchUpText()).toBe(1);
    expect(store.query({ text: 'user' }).entries.map((e) => e.username)).toEqual([
      'user-new',
      'user-old-2',
      'user-old-1',
    ]);
    expect(() =>
      db.exec("INSERT INTO log_attempts_text (log_attempts_text, rank) VALUES ('integrity-check', 1)"),
    ).not.toThrow();
  });
});
