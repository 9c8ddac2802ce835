/**
 * A disk that fills mid-import: the database refuses writes with SQLITE_FULL
 * (https://www.sqlite.org/rescode.html#full). Here the database's own size limit
 * (PRAGMA max_page_count, https://www.sqlite.org/pragma.html#pragma_max_page_count) makes it
 * full on a real SQLite file, so this runs everywhere; the same path on a real full file system
 * is disk-full-tmpfs.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../test/support/import-engine-setup';
import type { sendSignUp } from '../cognito/sign-up-call';
import { AppError } from '../errors';
import { createLogStore } from '../log/log-store';
import { DEFAULT_PASSWORD_POLICY } from './password-generator';
import { PASSWORD_LOST_NOTE } from './engine/outcome-records';

const connection = { region: 'us-east-1', clientId: 'client123', endpoint: 'http://127.0.0.1:9' };
const noSecret = (): Promise<string | null> => Promise.resolve(null);
const ROWS = 400;

let bench: EngineBench;
beforeEach(async () => {
  bench = await openEngineBench();
});
afterEach(async () => {
  await bench.close();
});

/** A pool that remembers whom it created; after `fullAfter` creations the database is full. */
function pool(fullAfter: number): { send: typeof sendSignUp; created: Set<string>; fill: () => void } {
  const created = new Set<string>();
  const fill = (): void => {
    const { page_count: pages } = bench.db.prepare('PRAGMA page_count').get() as { page_count: number };
    bench.db.exec(`PRAGMA max_page_count = ${pages}`);
  };
  const send: typeof sendSignUp = (_client, _connection, input) => {
    if (created.has(input.username))
      return Promise.resolve({
        kind: 'error',
        error: { category: 'exists', name: 'UsernameExistsException', message: 'User already exists' },
      });
    created.add(input.username);
    if (created.size === fullAfter) fill();
    return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
  };
  return { send, created, fill };
}

describe('a full disk mid-import', () => {
  it('stops with a DiskFull reason, leaves no job running, and reports rows whose generated password was lost', async () => {
    const users = Array.from({ length: ROWS }, (_, i) => `user-${String(i).padStart(4, '0')}`);
    const path = await bench.csv('users.csv', [
      'username,email',
      ...users.map((u) => `${u},${u}@example.com`),
    ]);
    const reportPath = join(bench.dir, 'report.csv');
    const cognito = pool(40);
    const engine = bench.engine({ send: cognito.send });
    const passwordSource = { kind: 'generated', policy: DEFAULT_PASSWORD_POLICY } as const;
    const jobId = await engine.start({
      path,
      connection,
      resolveSecret: noSecret,
      passwordSource,
      reportPath,
      rate: null,
      concurrency: 4,
    });
    const stopped = await engine.wait(jobId);
    expect(stopped.state).not.toBe('running');
    expect(stopped.stopReason).toMatchObject({ errorName: 'DiskFull' });
    expect(stopped.stopReason?.message).toMatch(/^The disk is full: /);
    expect(stopped.stopReason?.hint).toMatch(/resume/);
    expect(engine.getJob(jobId).state).not.toBe('running');
    expect(stopped.created).toBeLessThan(cognito.created.size); // some creations were never recorded

    // Room again: the resume accounts for every user created, none as a plain "exists".
    bench.db.exec('PRAGMA max_page_count = 1073741823');
    await engine.resume(jobId, { resolveSecret: noSecret, passwordSource });
    const done = await engine.wait(jobId);
    expect(done).toMatchObject({ state: 'completed', created: ROWS - done.exists, remaining: 0 });
    expect(done.exists).toBeGreaterThan(0);
    const entries = createLogStore(bench.db).query({ jobId, limit: 500 }).entries;
    const exists = entries.filter((e) => e.outcome === 'exists');
    expect(exists).toHaveLength(done.exists);
    for (const entry of exists) expect(entry.note).toBe(PASSWORD_LOST_NOTE);
    const report = await readFile(reportPath, 'utf8');
    expect(report.split('created — password lost, reset it').length - 1).toBe(done.exists);
  });

  it('does not start or resume when the data folder has less than 50 MB free, naming the folder', async () => {
    const path = await bench.csv('few.csv', ['username', 'a', 'b']);
    const cognito = pool(Infinity);
    const engine = bench.engine({
      send: cognito.send,
      dataFolder: bench.dir,
      freeSpace: () => Promise.resolve(3 * 1024 * 1024),
    });
    const refused = await engine
      .start({
        path,
        connection,
        resolveSecret: noSecret,
        passwordSource: { kind: 'shared', password: 'Shared-Pass-9x' },
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).name).toBe('DiskFull');
    expect((refused as AppError).message).toBe(
      `The disk is nearly full: ${bench.dir} has 3.0 MB free; an import needs at least 50.0 MB.`,
    );
    expect(cognito.created.size).toBe(0);
    expect(engine.listJobs()).toHaveLength(0);
  });
});
