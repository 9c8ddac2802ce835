import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogStore } from '../src/main/log/log-store';
import { createImportEngine } from '../src/main/import/import-engine';
import { openDatabase } from '../src/main/store/database';
import { bareSignUpLoop } from './bare-signup-loop';
import { BENCH_PASSWORD, userRow, writeUsersCsv } from './fixtures';
import { startProxyChild } from './proxy-child';

const rows = 3000;
const dir = await mkdtemp(join(tmpdir(), 'exp-c-'));
const proxy = await startProxyChild({ c: { poolId: 'p', secret: 's' } });
await proxy.set({ fast: true });
for (let round = 0; round < 3; round++) {
  const file = await writeUsersCsv(join(dir, `u${round}.csv`), { rows, prefix: `x${round}` });
  const db = openDatabase(join(dir, `db${round}.sqlite`));
  const engine = createImportEngine({ db, log: createLogStore(db), send: async () => ({ kind: 'ok', userSub: crypto.randomUUID(), userConfirmed: false }) });
  let c0 = process.cpuUsage(); let t0 = performance.now();
  const id = await engine.start({ path: file.path, connection: { region: 'us-east-1', clientId: 'c', endpoint: proxy.endpoint }, resolveSecret: async () => 's', passwordSource: { kind: 'shared', password: BENCH_PASSWORD }, rate: null, concurrency: 8 });
  await engine.wait(id);
  let c = process.cpuUsage(c0);
  console.log('engine, instant send  : cpu ms/row', ((c.user + c.system) / 1000 / rows).toFixed(3), 'wall ms/row', ((performance.now() - t0) / rows).toFixed(3));
  db.close();
  c0 = process.cpuUsage(); t0 = performance.now();
  await bareSignUpLoop(Array.from({ length: rows }, (_, i) => userRow(`y${round}`, i)), { endpoint: proxy.endpoint, clientId: 'c', secret: 's', password: BENCH_PASSWORD, concurrency: 8 });
  c = process.cpuUsage(c0);
  console.log('bare SDK loop        : cpu ms/row', ((c.user + c.system) / 1000 / rows).toFixed(3), 'wall ms/row', ((performance.now() - t0) / rows).toFixed(3));
}
await proxy.stop(); process.exit(0);
