/**
 * `npm run bench [-- <id>…]`: runs the benchmark scenarios (all, or the ids given), prints one
 * table of figures — ratios against a baseline measured in the same run, because these machines
 * are shared and noisy — and writes bench/results.json. Not a test: CI never runs it, and no
 * figure fails the process; a missed goal is printed as such. Traffic goes to 127.0.0.1 only.
 *
 * tsx is registered here with tsconfig.node.json (for the `@shared/*` alias, which the package
 * script's plain `--import tsx` does not know), so scenarios are loaded lazily, after it.
 * https://tsx.is/dev-api/register-esm
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import type { Figure, Scenario, ScenarioResult } from './scenario';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.node.json', import.meta.url)) });
const { goalMet, round } = await import('./scenario');

interface ScenarioEntry {
  id: string;
  load: () => Promise<Scenario>;
  /** Wall-clock limit; the whole bench stays under ~5 minutes. */
  timeoutMs: number;
}

/**
 * THE SCENARIO LIST — the extension point. To add a benchmark, write bench/scenarios/<name>.ts
 * exporting a Scenario (bench/scenario.ts: an id, a title, and run() returning figures, each a
 * ratio against a baseline measured in the same run where it is about speed, with its goal) and
 * append an entry here with a timeout that keeps the total under ~5 minutes.
 *
 * Planned next (a later issue): "log store with 1,000,000 entries — first page and filter latency,
 * and app start, against the empty-log case", built on src/main/log/log-store.ts
 * (createLogStore(db).record/query) and the app's services start-up.
 */
const SCENARIOS: ScenarioEntry[] = [
  {
    id: 'a',
    load: async () => (await import('./scenarios/rate-cap')).rateCapScenario,
    timeoutMs: 90_000,
  },
  {
    id: 'a4',
    load: async () => (await import('./scenarios/rate-cap')).rateCapLatency400Scenario,
    timeoutMs: 90_000,
  },
  {
    id: 'a10',
    load: async () => (await import('./scenarios/rate-cap')).rateCapLatency1000Scenario,
    timeoutMs: 90_000,
  },
  {
    id: 'b',
    load: async () => (await import('./scenarios/uncapped-throughput')).uncappedThroughputScenario,
    timeoutMs: 90_000,
  },
  {
    id: 'c',
    load: async () => (await import('./scenarios/dry-run-scale')).dryRunScaleScenario,
    timeoutMs: 120_000,
  },
  {
    id: 'l',
    load: async () => (await import('./log-scale')).logScaleScenario,
    timeoutMs: 150_000,
  },
];

interface Outcome {
  id: string;
  title: string;
  durationMs: number;
  error?: string;
  figures: Array<Figure & { met: boolean | null }>;
  details: Record<string, unknown>;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function formatGoal(figure: Figure): string {
  return figure.goal === undefined ? '' : `${figure.goal.op} ${figure.goal.target}`;
}

function formatMet(met: boolean | null): string {
  return met === null ? '' : met ? 'met' : 'MISSED';
}

function printTable(outcomes: Outcome[]): void {
  const rows: string[][] = [['', 'figure', 'value', 'goal', '', 'samples / context']];
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      rows.push([outcome.id, 'ERROR', '', '', 'MISSED', outcome.error]);
      continue;
    }
    for (const figure of outcome.figures) {
      const context = [
        figure.samples === undefined ? '' : `[${figure.samples.join(', ')}]`,
        figure.note ?? '',
      ]
        .filter((part) => part !== '')
        .join(' ');
      rows.push([
        outcome.id,
        figure.name,
        `${figure.value}${figure.unit === undefined ? '' : ` ${figure.unit}`}`,
        formatGoal(figure),
        formatMet(figure.met),
        context,
      ]);
    }
  }
  const widths = rows[0]
    ?.slice(0, -1)
    .map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  console.log('');
  for (const row of rows) {
    const cells = row.map((cell, column) =>
      column < row.length - 1 ? cell.padEnd(widths?.[column] ?? 0) : cell,
    );
    console.log(cells.join('  ').trimEnd());
  }
  console.log('');
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !SCENARIOS.some((entry) => entry.id === id));
if (unknown.length > 0) {
  console.error(
    `Unknown scenario id(s): ${unknown.join(', ')}. Known: ${SCENARIOS.map((e) => e.id).join(', ')}.`,
  );
  process.exit(2);
}
const selected = wanted.length === 0 ? SCENARIOS : SCENARIOS.filter((entry) => wanted.includes(entry.id));

const startedAt = new Date().toISOString();
const loadBefore = loadavg();
const outcomes: Outcome[] = [];
for (const entry of selected) {
  const began = performance.now();
  let title = entry.id;
  try {
    const scenario = await entry.load();
    title = scenario.title;
    console.log(`[bench] (${entry.id}) ${title} …`);
    const result: ScenarioResult = await withTimeout(scenario.run(), entry.timeoutMs, `Scenario ${entry.id}`);
    outcomes.push({
      id: entry.id,
      title,
      durationMs: round(performance.now() - began, 0),
      figures: result.figures.map((figure) => ({ ...figure, met: goalMet(figure) })),
      details: result.details,
    });
  } catch (error) {
    outcomes.push({
      id: entry.id,
      title,
      durationMs: round(performance.now() - began, 0),
      error: error instanceof Error ? error.message : String(error),
      figures: [],
      details: {},
    });
  }
  console.log(`[bench] (${entry.id}) done in ${round((performance.now() - began) / 1000, 1)} s`);
}

printTable(outcomes);
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
const json = `${JSON.stringify(
  {
    startedAt,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
    loadAverage: { before: loadBefore.map((n) => round(n, 2)), after: loadavg().map((n) => round(n, 2)) },
    scenarios: outcomes,
  },
  null,
  2,
)}\n`;
// Formatted as the repository's Prettier would, so `npm run lint` (prettier --check .) stays green.
const { format, resolveConfig } = await import('prettier');
await writeFile(resultsPath, await format(json, { ...(await resolveConfig(resultsPath)), parser: 'json' }));
console.log(`Wrote ${resultsPath}`);
// A scenario that timed out may still hold sockets or children open: the report is written, end here.
process.exit(0);
