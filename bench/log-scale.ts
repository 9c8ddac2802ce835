/**
 * (l) The log at scale: a generated 1,000,000-entry log against an empty one and a 1,000-entry one.
 * Figures: app start (createServices + the log screen's first page) with 1M entries / with an empty
 * log (goal ≈ 1: start must not scan the log), and each filter's first page at 1M — absolute ms
 * (goal < 200 ms) and the ratio to the same query on the 1k-entry log.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogQuery } from '@shared/contract';
import { dispatch } from '../src/main/ipc/dispatch';
import type { SecretStore } from '../src/main/keychain/secret-store';
import { createLogStore } from '../src/main/log/log-store';
import { createServices } from '../src/main/services';
import { DATABASE_FILE, openDatabase, transaction, type Database } from '../src/main/store/database';
import { median, round, type Figure, type Scenario } from './scenario';

export const RARE_ERROR = 'CodeDeliveryFailureException';
const START = '2026-01-01T00:00:00Z';
const SPAN_DAYS = 120;

/**
 * Fills `db` (already holding the log's schema) with `rows` generated entries in one transaction,
 * in SQL (a recursive CTE) so the only per-row work is SQLite's own, triggers and text index
 * included: jobs of 10,000 import rows, every 50th entry from the form or the CLI; 87 % created
 * (EMAIL or SMS), then exists, rejected, invalid and error; one entry in 200,000 a rare
 * CodeDeliveryFailureException; times spread evenly over 120 days. The mix is a hash of the row
 * number (the same every run); only UserSubs and request ids are random, as Cognito's are.
 */
export function fillLog(db: Database, rows: number): void {
  const store = createLogStore(db);
  transaction(db, () =>
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :rows),
        g AS (SELECT i, (i * 2654435761) % 1000 AS r, (i * 40503 + 12345) % 4294967296 AS h FROM n),
        o AS (SELECT *, CASE
            WHEN i % 200000 = 7 THEN 'rare'
            WHEN r < 50 THEN 'exists' WHEN r < 90 THEN 'rejected' WHEN r < 120 THEN 'invalid'
            WHEN r < 130 THEN 'error' ELSE 'created' END AS kind FROM g)
        INSERT INTO log_attempts (time, source, job_id, row_number, profile_id, profile_name, region,
          user_pool_id, client_id, username, outcome, user_sub, user_confirmed, delivery_medium,
          destination, attribute_name, error_name, error_message, request_id, note)
        SELECT
          strftime('%Y-%m-%dT%H:%M:%fZ', :start, '+' || (i * :spanSeconds / :rows) || ' seconds'),
          CASE i % 50 WHEN 0 THEN 'form' WHEN 1 THEN 'cli' ELSE 'import' END,
          CASE WHEN i % 50 > 1 THEN printf('job-%04d', i / 10000) END,
          CASE WHEN i % 50 > 1 THEN i % 10000 + 2 END,
          'p1', CASE WHEN i % 3 = 0 THEN 'Staging EU' ELSE 'Production EU' END, 'eu-west-1',
          'eu-west-1_AbC123xyz', '1example23456789',
          printf('user%d@example%d.com', i, i % 97),
          CASE kind WHEN 'rare' THEN 'rejected' ELSE kind END,
          CASE WHEN kind = 'created' THEN (SELECT lower(substr(x, 1, 8) || '-' || substr(x, 9, 4) || '-4' ||
            substr(x, 14, 3) || '-a' || substr(x, 18, 3) || '-' || substr(x, 21, 12)) FROM (SELECT hex(randomblob(16)) AS x)) END,
          CASE WHEN kind = 'created' THEN 0 END,
          CASE WHEN kind = 'created' THEN CASE WHEN r > 800 THEN 'SMS' ELSE 'EMAIL' END END,
          CASE WHEN kind = 'created' THEN CASE WHEN r > 800 THEN '+*******0199' ELSE 'u***@e***' END END,
          CASE WHEN kind = 'created' THEN CASE WHEN r > 800 THEN 'phone_number' ELSE 'email' END END,
          CASE kind WHEN 'rare' THEN :rare WHEN 'exists' THEN 'UsernameExistsException'
            WHEN 'rejected' THEN 'InvalidPasswordException' WHEN 'invalid' THEN 'InvalidParameterException'
            WHEN 'error' THEN 'InternalErrorException' END,
          CASE kind WHEN 'rare' THEN 'Unable to deliver the confirmation code.'
            WHEN 'exists' THEN 'User already exists'
            WHEN 'rejected' THEN 'Password did not conform with policy: Password not long enough'
            WHEN 'invalid' THEN 'Invalid phone number format.' WHEN 'error' THEN 'Internal error' END,
          lower(hex(randomblob(8))), NULL
        FROM o`,
      )
      .run({ rows, start: START, spanSeconds: SPAN_DAYS * 86_400, rare: RARE_ERROR }),
  );
  // The app indexes text in the background as entries arrive (log-store.ts catchUpText); a log of a
  // million entries has long been caught up, so the bench measures that steady state.
  while (store.catchUpText(50_000) > 0);
}

const BIG = 1_000_000;
const SMALL = 1_000;
/** Bump when fillLog changes, so a cached 1M log from an older generator is not reused. */
const GENERATOR_VERSION = 2;
const STARTS = 7;
const RUNS = 5;
const GOAL_MS = 200;

/** The log screen's queries and a few combinations, as the renderer sends them (limit 100). */
export const QUERIES: Array<{ name: string; query: LogQuery }> = [
  { name: 'first page', query: {} },
  { name: 'outcome created (87 %)', query: { outcomes: ['created'] } },
  { name: 'outcome error (1 %)', query: { outcomes: ['error'] } },
  { name: 'outcomes exists+rejected', query: { outcomes: ['exists', 'rejected'] } },
  { name: 'job (newest)', query: { jobId: 'job-0099' } },
  { name: 'job (oldest)', query: { jobId: 'job-0000' } },
  { name: 'medium SMS', query: { deliveryMedium: 'SMS' } },
  { name: 'error name (common)', query: { errorName: 'UsernameExistsException' } },
  { name: 'error name (rare, 5 rows)', query: { errorName: RARE_ERROR } },
  { name: 'date: last day', query: { from: '2026-04-30' } },
  { name: 'date: an old week', query: { from: '2026-01-10', to: '2026-01-16' } },
  { name: 'text: one user', query: { text: 'user123456@' } },
  { name: 'text: common (11 %)', query: { text: 'example4' } },
  { name: 'text: 2 chars', query: { text: 'e9' } },
  { name: 'text: no match', query: { text: 'nobody-by-this-name' } },
  { name: 'text: error message', query: { text: 'did not conform' } },
  { name: 'error + SMS (empty)', query: { outcomes: ['error'], deliveryMedium: 'SMS' } },
  { name: 'old job + rejected', query: { jobId: 'job-0000', outcomes: ['rejected'] } },
  { name: 'common text + invalid', query: { text: 'example4', outcomes: ['invalid'] } },
  { name: 'rare error + text', query: { errorName: RARE_ERROR, text: 'example' } },
  {
    name: 'old week + exists + text',
    query: { from: '2026-01-10', to: '2026-01-16', outcomes: ['exists'], text: 'example1' },
  },
];

/** No profile has a secret in these logs; start-up never asks. */
const noSecrets: SecretStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.reject(new Error('not in the bench')),
  remove: () => Promise.resolve(),
};

function ms(since: number): number {
  return performance.now() - since;
}

/** The cache key: the log's schema as SQLite records it, plus the generator version. */
function schemaKey(db: Database): string {
  const rows = db
    .prepare("SELECT sql FROM sqlite_master WHERE name LIKE 'log_attempts%' ORDER BY name")
    .all() as Array<{
    sql: string | null;
  }>;
  return createHash('sha256')
    .update(`${GENERATOR_VERSION}\n${rows.map((r) => r.sql ?? '').join('\n')}`)
    .digest('hex')
    .slice(0, 12);
}

/** A data folder whose database holds `rows` generated entries. */
async function buildHome(home: string, rows: number): Promise<number> {
  await mkdir(home, { recursive: true });
  const began = performance.now();
  const db = openDatabase(join(home, DATABASE_FILE));
  try {
    if (rows > 0) fillLog(db, rows);
    else createLogStore(db);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return ms(began);
}

/** The app's start as far as the log is concerned: the services, the log screen's first page and its facets. */
async function startOnce(home: string): Promise<number> {
  const began = performance.now();
  const services = createServices({ home, secrets: noSecrets });
  const page = await dispatch(services.handlers, 'log:query', { limit: 100 });
  const facets = await dispatch(services.handlers, 'log:facets', undefined);
  const elapsed = ms(began);
  await services.close();
  if (!page.ok || !facets.ok) throw new Error('The log did not answer at start-up.');
  return elapsed;
}

/** Median time of `query` (and of log:facets) on an open store, RUNS times after one warm-up. */
export function timeQueries(home: string): Map<string, { ms: number; firstPage: number; partial: boolean }> {
  const db = openDatabase(join(home, DATABASE_FILE));
  try {
    const log = createLogStore(db);
    const times = new Map<string, { ms: number; firstPage: number; partial: boolean }>();
    for (const { name, query } of QUERIES) {
      const samples: number[] = [];
      let firstPage = 0;
      let partial = false;
      for (let run = 0; run <= RUNS; run++) {
        const began = performance.now();
        const page = log.query({ limit: 100, ...query });
        firstPage = page.entries.length;
        partial = page.entries.length < 100 && page.nextCursor !== null;
        // The second page too when there is one: paging must stay as fast as the first page.
        if (page.nextCursor !== null) log.query({ limit: 100, ...query, before: page.nextCursor });
        if (run > 0) samples.push(ms(began) / (page.nextCursor === null ? 1 : 2));
      }
      times.set(name, { ms: median(samples), firstPage, partial });
    }
    return times;
  } finally {
    db.close();
  }
}

export const logScaleScenario: Scenario = {
  id: 'l',
  title: `The log with ${BIG.toLocaleString('en')} entries: app start vs an empty log, filter latency`,
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'signup-desk-bench-log-'));
    try {
      const emptyHome = join(dir, 'empty');
      const smallHome = join(dir, 'small');
      await buildHome(emptyHome, 0);
      const smallBuildMs = await buildHome(smallHome, SMALL);
      // The 1M log is cached between runs under the temp folder, keyed by the schema and generator.
      const probe = openDatabase(join(emptyHome, DATABASE_FILE));
      const key = schemaKey(probe);
      probe.close();
      const bigHome = join(tmpdir(), `signup-desk-bench-log-1m-${key}`);
      let bigBuildMs: number | null = null;
      if (!existsSync(join(bigHome, 'ready'))) {
        await rm(bigHome, { recursive: true, force: true });
        const building = `${bigHome}.building-${process.pid}`;
        bigBuildMs = await buildHome(building, BIG);
        await mkdir(join(building, 'ready'));
        await rename(building, bigHome);
      }
      const bigBytes = (await stat(join(bigHome, DATABASE_FILE))).size;

      // Start-up, alternating empty and 1M so drift on a shared machine hits both alike.
      const startEmpty: number[] = [];
      const startSmall: number[] = [];
      const startBig: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        startEmpty.push(await startOnce(emptyHome));
        startSmall.push(await startOnce(smallHome));
        startBig.push(await startOnce(bigHome));
      }
      const startRatios = startBig.map((big, i) => big / (startEmpty[i] as number));
      const startRatiosSmall = startBig.map((big, i) => big / (startSmall[i] as number));

      const small = timeQueries(smallHome);
      const big = timeQueries(bigHome);
      const figures: Figure[] = [
        {
          name: 'app start with 1M entries / with an empty log (median)',
          value: round(median(startRatios), 2),
          goal: { op: '<=', target: 1.5 },
          samples: startRatios.map((r) => round(r, 2)),
          note: `start = createServices + first log:query + log:facets; 1M ${round(median(startBig), 1)} ms, empty ${round(median(startEmpty), 1)} ms (an empty log has no page to read or send)`,
        },
        {
          name: 'app start with 1M entries / with 1k entries (median)',
          value: round(median(startRatiosSmall), 2),
          goal: { op: '<=', target: 1.5 },
          samples: startRatiosSmall.map((r) => round(r, 2)),
          note: `the same first page of 100 entries either way; 1k ${round(median(startSmall), 1)} ms`,
        },
      ];
      let worst = 0;
      for (const { name } of QUERIES) {
        const bigMs = big.get(name)?.ms ?? Number.NaN;
        const smallMs = small.get(name)?.ms ?? Number.NaN;
        const firstPage = big.get(name)?.firstPage ?? 0;
        const partial = big.get(name)?.partial ?? false;
        worst = Math.max(worst, bigMs);
        figures.push({
          name: `1M: ${name}`,
          value: round(bigMs, 1),
          unit: 'ms',
          goal: { op: '<', target: GOAL_MS },
          note: `× ${round(bigMs / smallMs, 1)} the same query on ${SMALL.toLocaleString('en')} entries (${round(smallMs, 2)} ms); first page ${firstPage} entries${partial ? ' (partial: the walk ran out of time and returned a cursor to go on)' : ''}`,
        });
      }
      return {
        figures,
        details: {
          entries: BIG,
          databaseMB: round(bigBytes / 1e6, 1),
          buildSeconds: bigBuildMs === null ? 'cached' : round(bigBuildMs / 1000, 1),
          smallBuildMs: round(smallBuildMs, 0),
          cachedAt: bigHome,
          worstQueryMs: round(worst, 1),
          queryTimesAre: 'median of 5 runs, per page (first and second page averaged when there is a second)',
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
