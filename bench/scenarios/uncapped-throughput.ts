/**
 * (b) No rate cap, against a fast local endpoint (the proxy's in-memory mode): the engine's
 * throughput — CSV streaming, row checks, the durable per-row commit and log — divided by a bare
 * AWS SDK loop's (bare-signup-loop.ts) sending the same rows with the same concurrency.
 * Alternated (engine first, then bare first, …) and reported as the median ratio.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareSignUpLoop } from '../bare-signup-loop';
import { runEngineJob } from '../engine-run';
import { BENCH_PASSWORD, userRow, writeUsersCsv } from '../fixtures';
import { startProxyChild, type ProxyChild } from '../proxy-child';
import { cpuMsSince } from '../children/report';
import { median, round, type Scenario } from '../scenario';

const ROWS = 3000;
/**
 * Both sides keep getting faster for a few thousand rows (JIT, sockets, SQLite page cache): warm
 * each with two full-size runs, or the median lands on whichever side ran colder.
 */
const WARMUP_ROWS = ROWS;
const WARMUP_RUNS = 2;
/** Even, so each side runs first equally often. */
const PAIRS = 4;
const CONCURRENCY = 8;
const CLIENT = { clientId: 'bench-fast-client', poolId: 'us-east-1_benchFast', secret: 'bench-fast-secret' };

interface Timed {
  elapsedMs: number;
  /** CPU time of this (client) process during the run; the proxy runs in another process. */
  cpuMs: number;
  created: number;
  /** First → last SignUp arrival at the proxy. */
  sendSpanMs: number;
}

function span(arrivals: number[]): number {
  return (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
}

export const uncappedThroughputScenario: Scenario = {
  id: 'b',
  title: `No cap, fast local endpoint: engine vs bare SDK loop (${ROWS} rows, concurrency ${CONCURRENCY}, ${PAIRS} pairs)`,
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'signup-desk-bench-b-'));
    const proxy: ProxyChild = await startProxyChild({
      [CLIENT.clientId]: { poolId: CLIENT.poolId, secret: CLIENT.secret },
    });
    let runNo = 0;
    const engineRun = async (rows: number): Promise<Timed> => {
      runNo++;
      const runDir = join(dir, `engine-${runNo}`);
      await mkdir(runDir);
      const file = await writeUsersCsv(join(runDir, 'users.csv'), { rows, prefix: `e${runNo}` });
      await proxy.reset();
      const cpu = process.cpuUsage();
      const run = await runEngineJob({
        dir: runDir,
        csvPath: file.path,
        endpoint: proxy.endpoint,
        clientId: CLIENT.clientId,
        userPoolId: CLIENT.poolId,
        secret: CLIENT.secret,
        rate: null,
        concurrency: CONCURRENCY,
      });
      const cpuMs = cpuMsSince(cpu);
      const sendSpanMs = span(await proxy.arrivals());
      await rm(runDir, { recursive: true, force: true });
      return { elapsedMs: run.elapsedMs, cpuMs, created: run.summary.created, sendSpanMs };
    };
    const bareRun = async (rows: number): Promise<Timed> => {
      runNo++;
      const prefix = `b${runNo}`;
      const users = Array.from({ length: rows }, (_, i) => userRow(prefix, i));
      await proxy.reset();
      const cpu = process.cpuUsage();
      const run = await bareSignUpLoop(users, {
        endpoint: proxy.endpoint,
        clientId: CLIENT.clientId,
        secret: CLIENT.secret,
        password: BENCH_PASSWORD,
        concurrency: CONCURRENCY,
      });
      const cpuMs = cpuMsSince(cpu);
      const sendSpanMs = span(await proxy.arrivals());
      return { elapsedMs: run.elapsedMs, cpuMs, created: run.created, sendSpanMs };
    };

    try {
      await proxy.set({ fast: true });
      // Warm both paths (JIT, sockets, SQLite) before anything is counted.
      for (let i = 0; i < WARMUP_RUNS; i++) {
        await engineRun(WARMUP_ROWS);
        await bareRun(WARMUP_ROWS);
      }

      const ratios: number[] = [];
      const sendRatios: number[] = [];
      const cpuRatios: number[] = [];
      const pairs: Array<{ engine: Timed; bare: Timed }> = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        let engine: Timed;
        let bare: Timed;
        if (pair % 2 === 0) {
          engine = await engineRun(ROWS);
          bare = await bareRun(ROWS);
        } else {
          bare = await bareRun(ROWS);
          engine = await engineRun(ROWS);
        }
        pairs.push({ engine, bare });
        // Same row count: throughput ratio = bare time / engine time.
        ratios.push(bare.elapsedMs / engine.elapsedMs);
        sendRatios.push(bare.sendSpanMs / engine.sendSpanMs);
        cpuRatios.push(bare.cpuMs / engine.cpuMs);
      }
      const notCreated = pairs.reduce((n, p) => n + (ROWS - p.engine.created) + (ROWS - p.bare.created), 0);
      const engineRps = median(pairs.map((p) => (ROWS / p.engine.elapsedMs) * 1000));
      const bareRps = median(pairs.map((p) => (ROWS / p.bare.elapsedMs) * 1000));
      return {
        figures: [
          {
            name: 'engine throughput / bare SDK loop (median)',
            value: round(median(ratios)),
            goal: { op: '>=', target: 0.9 },
            samples: ratios.map((r) => round(r)),
            note: `engine ≈ ${round(engineRps, 0)} rows/s, bare ≈ ${round(bareRps, 0)} rows/s (medians)`,
          },
          {
            name: 'send phase only (proxy first→last arrival), median',
            value: round(median(sendRatios)),
            samples: sendRatios.map((r) => round(r)),
            note: 'excludes the engine’s checksum, inspection and counting passes before sending',
          },
          {
            name: 'client CPU per row: bare / engine (median)',
            value: round(median(cpuRatios)),
            samples: cpuRatios.map((r) => round(r)),
            note: `engine ≈ ${round(median(pairs.map((p) => (p.engine.cpuMs / ROWS) * 1000)), 0)} µs/row, bare ≈ ${round(median(pairs.map((p) => (p.bare.cpuMs / ROWS) * 1000)), 0)} µs/row (CPU; less disturbed by other load)`,
          },
          {
            name: 'rows not created (all runs)',
            value: notCreated,
            goal: { op: '==', target: 0 },
          },
        ],
        details: {
          rows: ROWS,
          concurrency: CONCURRENCY,
          pairs: pairs.map((p) => ({
            engineMs: round(p.engine.elapsedMs, 1),
            engineCpuMs: round(p.engine.cpuMs, 1),
            engineSendSpanMs: round(p.engine.sendSpanMs, 1),
            bareMs: round(p.bare.elapsedMs, 1),
            bareCpuMs: round(p.bare.cpuMs, 1),
            bareSendSpanMs: round(p.bare.sendSpanMs, 1),
          })),
        },
      };
    } finally {
      await proxy.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
