/**
 * Child: the baseline for the dry run — csv-parse alone reading the file, records counted and
 * dropped, using the documented stream pattern (`readable` + `read()`):
 * https://csv.js.org/parse/api/stream/
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { cpuMsSince, sendReport } from './report';

const path = process.argv[2] ?? '';
const startRssKb = Math.round(process.memoryUsage().rss / 1024);
const started = performance.now();
const cpu = process.cpuUsage();
let rows = 0;
await new Promise<void>((resolve, reject) => {
  const parser = parse();
  parser.on('readable', () => {
    while (parser.read() !== null) rows++;
  });
  parser.on('error', reject);
  parser.on('end', resolve);
  createReadStream(path).on('error', reject).pipe(parser);
});
sendReport({
  elapsedMs: performance.now() - started,
  cpuMs: cpuMsSince(cpu),
  maxRssKb: process.resourceUsage().maxRSS,
  startRssKb,
  rows: rows - 1, // the header
});
