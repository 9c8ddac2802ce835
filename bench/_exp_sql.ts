import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogStore } from '../src/main/log/log-store';
import { createJobStore } from '../src/main/import/job-store';
import { openDatabase, transaction } from '../src/main/store/database';

const N = 3000;
async function trial(label: string, batch: number, dropFts: boolean, markSending: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'exp-sql-'));
  const db = openDatabase(join(dir, 'db.sqlite'));
  const log = createLogStore(db);
  if (dropFts) db.exec('DROP TRIGGER log_attempts_ai');
  const store = createJobStore(db, log, Date.now);
  const job = store.createJob({ id: 'j', sourcePath: '/x', sourceSha256: 'x', settings: { connection: { region: 'us-east-1', clientId: 'c' }, overrides: {}, mapping: { columns: [], unknown: [], missingRequired: [], duplicates: [] }, delimiter: ',', encoding: 'utf-8', passwordSource: { kind: 'shared' }, rate: 0, concurrency: 8, caseSensitiveUsernames: false } as never, owner: '1' });
  const entry = (i: number) => ({ time: new Date().toISOString(), source: 'import' as const, jobId: job.id, rowNumber: i + 2, region: 'us-east-1', clientId: 'client-abc', userPoolId: 'us-east-1_pool', username: `x-${String(i).padStart(7, '0')}`, outcome: 'created' as const, userSub: crypto.randomUUID(), userConfirmed: false, deliveryMedium: 'EMAIL' as const, destination: 'x***@e***', attributeName: 'email' });
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i += batch) {
    if (markSending) for (let k = i; k < i + batch; k++) store.markSending(job.id, { index: k, line: k + 2, username: `x-${k}` });
    const work = () => { for (let k = i; k < i + batch; k++) store.recordOutcome(job.id, { index: k, line: k + 2, username: `x-${k}`, state: 'created' }, entry(k)); };
    if (batch === 1) work(); else {
      // nested: recordOutcome opens its own BEGIN, so batch by SAVEPOINT-free path: call log.record + upsert directly is not exported; emulate with one outer txn by temporarily no-op
      db.exec('BEGIN IMMEDIATE');
      for (let k = i; k < i + batch; k++) { log.record(entry(k)); }
      db.exec('COMMIT');
    }
  }
  const ms = performance.now() - t0; const cpu = process.cpuUsage(cpu0);
  console.log(label.padEnd(48), 'wall ms/row', (ms / N).toFixed(3), 'cpu ms/row', ((cpu.user + cpu.system) / 1000 / N).toFixed(3));
  db.close();
}
await trial('per-row recordOutcome + markSending (engine today)', 1, false, true);
await trial('per-row recordOutcome only', 1, false, false);
await trial('per-row recordOutcome, no FTS trigger', 1, true, false);
await trial('per-row recordOutcome + markSending, no FTS', 1, true, true);
await trial('log.record x50 per txn (batched), FTS on', 50, false, false);
await trial('per-row recordOutcome + markSending (again)', 1, false, true);
void transaction;
