/**
 * (c) The dry run over a generated 1,000,000-row CSV (username,email,phone_number,given_name,
 * family_name, with a few bad rows): its time divided by a bare csv-parse pass over the same file,
 * and its peak RSS. Each pass runs in its own child process so one's memory never counts toward
 * the other's peak (process.resourceUsage().maxRSS is per process). Alternated, medians reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../child';
import type { ChildReport } from '../children/report';
import { writeUsersCsv } from '../fixtures';
import { median, round, type Scenario } from '../scenario';

const ROWS = 1_000_000;
const BAD_EVERY = 100_000;
const PAIRS = 2;
const CHILD_TIMEOUT_MS = 60_000;

const BARE = new URL('../children/parse-bare.ts', import.meta.url);
const DRY = new URL('../children/dry-run.ts', import.meta.url);

const mb = (kb: number): number => round(kb / 1024, 1);

export const dryRunScaleScenario: Scenario = {
  id: 'c',
  title: `Dry run of a ${ROWS.toLocaleString('en')}-row CSV vs a bare csv-parse pass`,
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'signup-desk-bench-c-'));
    try {
      const generated = performance.now();
      const file = await writeUsersCsv(join(dir, 'million.csv'), {
        rows: ROWS,
        prefix: 'm',
        badEvery: BAD_EVERY,
      });
      const generateMs = performance.now() - generated;
      const bare: ChildReport[] = [];
      const dry: ChildReport[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        if (pair % 2 === 0) {
          bare.push(await runChild<ChildReport>(BARE, [file.path], CHILD_TIMEOUT_MS));
          dry.push(await runChild<ChildReport>(DRY, [file.path], CHILD_TIMEOUT_MS));
        } else {
          dry.push(await runChild<ChildReport>(DRY, [file.path], CHILD_TIMEOUT_MS));
          bare.push(await runChild<ChildReport>(BARE, [file.path], CHILD_TIMEOUT_MS));
        }
      }
      const ratios = dry.map((d, i) => d.elapsedMs / (bare[i] as ChildReport).elapsedMs);
      const cpuRatios = dry.map((d, i) => d.cpuMs / (bare[i] as ChildReport).cpuMs);
      const dryPeak = Math.max(...dry.map((d) => d.maxRssKb));
      const bareMs = median(bare.map((b) => b.elapsedMs));
      const dryMs = median(dry.map((d) => d.elapsedMs));
      const last = dry.at(-1);
      const invalidSeen = Number(last?.extra?.['invalid'] ?? -1);
      return {
        figures: [
          {
            name: 'dry-run time / bare csv-parse time (median)',
            value: round(median(ratios)),
            goal: { op: '<=', target: 2 },
            samples: ratios.map((r) => round(r)),
            note: `dry run ${round(dryMs / 1000, 2)} s, csv-parse ${round(bareMs / 1000, 2)} s (medians)`,
          },
          {
            name: 'dry-run CPU time / bare csv-parse CPU time (median)',
            value: round(median(cpuRatios)),
            samples: cpuRatios.map((r) => round(r)),
            note: 'context: CPU time is less disturbed by other load on the machine',
          },
          {
            name: 'dry-run peak RSS (MB, worst run)',
            value: mb(dryPeak),
            unit: 'MB',
            goal: { op: '<', target: 300 },
            note: `bare csv-parse peak ${mb(Math.max(...bare.map((b) => b.maxRssKb)))} MB; child at start ${mb(last?.startRssKb ?? 0)} MB`,
          },
          {
            name: 'bad rows missed (generated − flagged)',
            value: file.invalid - invalidSeen,
            goal: { op: '==', target: 0 },
            note: `${file.invalid} bad rows generated, dry run flagged ${invalidSeen} of ${last?.rows ?? 0}`,
          },
        ],
        details: {
          rows: ROWS,
          fileMB: round(file.bytes / 1024 / 1024, 1),
          generateMs: round(generateMs, 0),
          bare: bare.map((b) => ({
            ms: round(b.elapsedMs, 0),
            cpuMs: round(b.cpuMs, 0),
            peakMB: mb(b.maxRssKb),
            rows: b.rows,
          })),
          dryRun: dry.map((d) => ({
            ms: round(d.elapsedMs, 0),
            cpuMs: round(d.cpuMs, 0),
            peakMB: mb(d.maxRssKb),
            rows: d.rows,
            ...d.extra,
          })),
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
