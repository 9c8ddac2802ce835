/**
 * The set-up every import-engine test repeats: a fresh folder with a real SQLite file, the log on
 * it, CSV files written into the folder, and engines on that database with a fake clock.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogStore, type LogStore } from '../../src/main/log/log-store';
import { openDatabase, type Database } from '../../src/main/store/database';
import {
  createImportEngine,
  type ImportEngine,
  type ImportEngineOptions,
} from '../../src/main/import/import-engine';
import { createFakeTime, type FakeTime } from './fake-time';

export interface EngineBench {
  dir: string;
  dbPath: string;
  db: Database;
  log: LogStore;
  time: FakeTime;
  /** Writes `lines` (header first) as a CSV file in the folder; returns its path. */
  csv(name: string, lines: string[]): Promise<string>;
  /**
   * An engine on `db` (default: this bench's database) running on the fake clock, its lease
   * renewals on the clock's background timers.
   */
  engine(options?: Partial<ImportEngineOptions>): ImportEngine;
  close(): Promise<void>;
}

export async function openEngineBench(prefix = 'signup-desk-engine-unit-'): Promise<EngineBench> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const dbPath = join(dir, 'desk.sqlite');
  const db = openDatabase(dbPath);
  const log = createLogStore(db);
  const time = createFakeTime();
  return {
    dir,
    dbPath,
    db,
    log,
    time,
    async csv(name, lines) {
      const path = join(dir, name);
      await writeFile(path, `${lines.join('\n')}\n`);
      return path;
    },
    engine(options = {}) {
      const database = options.db ?? db;
      return createImportEngine({
        now: time.now,
        sleep: time.sleep,
        scheduler: time.scheduler,
        // Lease renewals on the fake clock never move it; an engine on other timers renews on those.
        leaseTimers: options.scheduler ?? time.background,
        ...options,
        db: database,
        log: options.log ?? (database === db ? log : createLogStore(database)),
      });
    },
    async close() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Event-driven waiting: `reached` resolves the first time `check` is given a count of at least `n`. */
export function whenReached(n: number): { check(count: number): void; reached: Promise<void> } {
  let resolve: () => void = () => undefined;
  const reached = new Promise<void>((done) => {
    resolve = done;
  });
  return {
    check(count) {
      if (count >= n) resolve();
    },
    reached,
  };
}
