import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogStore } from '../src/main/log/log-store';
import { createImportEngine } from '../src/main/import/import-engine';
import { sendSignUp } from '../src/main/cognito/sign-up-call';
import { openDatabase } from '../src/main/store/database';
import { maxInAnyWindow } from '../src/main/import/rate-limiter';
import { BENCH_PASSWORD, writeUsersCsv } from './fixtures';
import { startProxyChild } from './proxy-child';

const cap = Number(process.argv[2] ?? 50);
const throttle = process.argv[3] === 'nothrottle' ? null : 50;
const dir = await mkdtemp(join(tmpdir(), 'exp-a-'));
const proxy = await startProxyChild({ c: { poolId: 'p', secret: 's' } });
await proxy.set({ fast: true, throttleRps: throttle });
const file = await writeUsersCsv(join(dir, 'u.csv'), { rows: 600, prefix: 'x' });
const db = openDatabase(join(dir, 'db.sqlite'));
const starts: number[] = [];
const engine = createImportEngine({ db, log: createLogStore(db), send: (c, conn, input) => { starts.push(performance.now()); return sendSignUp(c, conn, input); } });
const id = await engine.start({ path: file.path, connection: { region: 'us-east-1', clientId: 'c', endpoint: proxy.endpoint }, resolveSecret: async () => 's', passwordSource: { kind: 'shared', password: BENCH_PASSWORD }, rate: cap, concurrency: 4 });
const s = await engine.wait(id);
const arr = await proxy.arrivals();
const st = await proxy.stats();
const gaps = (t: number[]) => t.slice(1).map((x, i) => x - (t[i] as number));
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]!;
const lag: number[] = []; // per-request: (arrival - first arrival) - (start - first start)
for (let i = 0; i < Math.min(arr.length, starts.length); i++) lag.push((arr[i]! - arr[0]!) - (starts[i]! - starts[0]!));
console.log(JSON.stringify({ cap, created: s.created, answers: st.answers,
  engineMaxWin: maxInAnyWindow(starts), proxyMaxWin: maxInAnyWindow(arr),
  rateArr: (arr.length - 1) / ((arr.at(-1)! - arr[0]!) / 1000),
  startGapMin: Math.min(...gaps(starts)), startGapP50: pct(gaps(starts), 0.5),
  arrGapMin: Math.min(...gaps(arr)), arrGapP01: pct(gaps(arr), 0.01), arrGapP99: pct(gaps(arr), 0.99), arrGapMax: Math.max(...gaps(arr)),
  lagMin: Math.min(...lag), lagMax: Math.max(...lag) }, null, 1));
await proxy.stop(); db.close(); process.exit(0);
