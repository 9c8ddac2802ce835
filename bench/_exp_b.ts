import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { runEngineJob } from './engine-run';
import { bareSignUpLoop } from './bare-signup-loop';
import { BENCH_PASSWORD, userRow, writeUsersCsv } from './fixtures';
import { startProxyChild } from './proxy-child';

const rows = Number(process.argv[2] ?? 3000);
const mode = process.argv[3] ?? 'engine';
const dir = await mkdtemp(join(tmpdir(), 'exp-b-'));
const proxy = await startProxyChild({ c: { poolId: 'p', secret: 's' } });
await proxy.set({ fast: true });
const file = await writeUsersCsv(join(dir, 'u.csv'), { rows, prefix: 'x' });
const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
const t0 = performance.now();
if (mode === 'engine') {
  const r = await runEngineJob({ dir, csvPath: file.path, endpoint: proxy.endpoint, clientId: 'c', userPoolId: 'p', secret: 's', rate: null, concurrency: 8 });
  console.log('engine', r.elapsedMs, r.summary.created);
} else {
  const r = await bareSignUpLoop(Array.from({ length: rows }, (_, i) => userRow('y', i)), { endpoint: proxy.endpoint, clientId: 'c', secret: 's', password: BENCH_PASSWORD, concurrency: 8 });
  console.log('bare', r.elapsedMs, r.created);
}
h.disable();
console.log('elapsed', performance.now() - t0, 'eld p50/p99/max ms', h.percentile(50) / 1e6, h.percentile(99) / 1e6, h.max / 1e6);
console.log('cpu', process.cpuUsage());
await proxy.stop(); process.exit(0);
