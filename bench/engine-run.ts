/**
 * One import job through the production engine, as the app runs it: a fresh SQLite database file
 * (WAL), the durable log, the default SignUp call and Cognito client, timed from start() to the
 * end of wait().
 */
import { join } from 'node:path';
import { createLogStore } from '../src/main/log/log-store';
import { createImportEngine, type ImportSummary } from '../src/main/import/import-engine';
import { openDatabase } from '../src/main/store/database';
import { BENCH_PASSWORD } from './fixtures';

export const BENCH_REGION = 'us-east-1';

export interface EngineRunOptions {
  /** Folder for this run's database (must be fresh for each run). */
  dir: string;
  csvPath: string;
  endpoint: string;
  clientId: string;
  userPoolId: string;
  secret: string;
  /** Requests per second, or null for no cap. */
  rate: number | null;
  /** Absent: the engine's default (parallelism follows the observed latency). */
  concurrency?: number;
}

export interface EngineRunResult {
  summary: ImportSummary;
  /** start() called → wait() resolved (includes the checksum, inspection and counting pass). */
  elapsedMs: number;
  /** Log entries the job wrote (one per row with an outcome). */
  logEntries: number;
}

export async function runEngineJob(options: EngineRunOptions): Promise<EngineRunResult> {
  const db = openDatabase(join(options.dir, 'bench.sqlite'));
  try {
    const engine = createImportEngine({ db, log: createLogStore(db) });
    const started = performance.now();
    const jobId = await engine.start({
      path: options.csvPath,
      connection: {
        region: BENCH_REGION,
        clientId: options.clientId,
        userPoolId: options.userPoolId,
        endpoint: options.endpoint,
      },
      resolveSecret: () => Promise.resolve(options.secret),
      passwordSource: { kind: 'shared', password: BENCH_PASSWORD },
      rate: options.rate,
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    });
    const summary = await engine.wait(jobId);
    const elapsedMs = performance.now() - started;
    await engine.close();
    const row = db.prepare('SELECT COUNT(*) AS n FROM log_attempts WHERE job_id = ?').get(jobId) as
      { n: number } | undefined;
    return { summary, elapsedMs, logEntries: row?.n ?? 0 };
  } finally {
    db.close();
  }
}
