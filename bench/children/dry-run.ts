/** Child: the production dry run over the file, as the import screen runs it. */
import { dryRun } from '../../src/main/import/dry-run';
import { BENCH_PASSWORD } from '../fixtures';
import { cpuMsSince, sendReport } from './report';

const path = process.argv[2] ?? '';
const startRssKb = Math.round(process.memoryUsage().rss / 1024);
const started = performance.now();
const cpu = process.cpuUsage();
const result = await dryRun(path, { passwords: { kind: 'shared', password: BENCH_PASSWORD } });
sendReport({
  elapsedMs: performance.now() - started,
  cpuMs: cpuMsSince(cpu),
  maxRssKb: process.resourceUsage().maxRSS,
  startRssKb,
  rows: result.rows,
  extra: { valid: result.valid, invalid: result.invalid, problemCounts: result.problemCounts },
});
