/**
 * The Log screen over a log written by the store itself (as the CLI or an import would): paging by
 * scrolling a virtualised list, every filter, the details panel, and export to CSV and JSON.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '@shared/contract';
import { test, expect } from '../support/fixtures';
import { LogPage } from '../pages';
import { DATABASE_FILE, openDatabase } from '../../src/main/store/database';
import { createLogStore, type NewLogEntry } from '../../src/main/log/log-store';

const ENTRIES = 320;
const FORMULA_USER = '=SUM(1+1)';

/** Entry i of the seeded log: jobs A (0–99) and B (100–199), outcomes in a cycle, one rare error. */
function seeded(i: number): NewLogEntry {
  const outcome: Outcome =
    i === 42 ? 'rejected' : (['created', 'created', 'exists', 'rejected'] as const)[i % 4]!;
  const errorName =
    i === 42
      ? 'CodeDeliveryFailureException'
      : outcome === 'exists'
        ? 'UsernameExistsException'
        : outcome === 'rejected'
          ? 'InvalidPasswordException'
          : undefined;
  const day = i < 50 ? '2026-03-01' : '2026-05-02';
  return {
    time: `${day}T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
    source: i < 200 ? 'import' : 'form',
    ...(i < 200 && { jobId: i < 100 ? 'job-A' : 'job-B', rowNumber: (i % 100) + 2 }),
    profileName: 'Seeded',
    region: 'eu-west-1',
    clientId: 'client1',
    username: i === 7 ? FORMULA_USER : `bulk-${String(i).padStart(3, '0')}`,
    outcome,
    ...(outcome === 'created' && {
      userSub: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`,
      deliveryMedium: i % 8 === 0 ? 'SMS' : 'EMAIL',
      destination: i % 8 === 0 ? '+*******0199' : 'b***@e***',
    }),
    ...(errorName !== undefined && { errorName, errorMessage: `${errorName} for row ${i}` }),
  };
}

/** What the seeded log holds for a predicate (to check each filter against). */
function count(predicate: (entry: NewLogEntry, i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < ENTRIES; i++) if (predicate(seeded(i), i)) n++;
  return n;
}

test('scrolls, filters, shows and exports a log of 320 entries', async ({ page, app, home }) => {
  test.setTimeout(120_000);
  // The store is written from here, through its own module, while the app runs (WAL allows it).
  const db = openDatabase(join(home, DATABASE_FILE));
  const store = createLogStore(db);
  for (let i = 0; i < ENTRIES; i++) store.record(seeded(i));
  db.close();

  const log = new LogPage(page);
  await log.open();
  await log.refresh();
  // One page of 100 first; the DOM holds only the rows in view.
  await expect(log.scroller).toHaveAttribute('data-loaded', '100');
  await expect(log.entries.first().getByTestId('log-entry-username')).toHaveText('bulk-319');
  await log.scrollToEnd();
  expect(await log.loadedCount()).toBe(ENTRIES);
  const rendered = await log.entries.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);
  // The oldest entry is at the end of the list.
  await expect
    .poll(async () => {
      await log.scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      return log.entries.last().getByTestId('log-entry-username').textContent();
    })
    .toBe('bulk-000');

  await log.showOnlyOutcomes(['exists']);
  await log.expectAllLoaded(count((e) => e.outcome === 'exists'));
  await expect(log.entries.first()).toHaveAttribute('data-outcome', 'exists');
  await log.showOnlyOutcomes([]);

  await log.filterByJob('job-A');
  await log.expectAllLoaded(100);
  await log.showOnlyOutcomes(['rejected']);
  await log.expectAllLoaded(count((e) => e.jobId === 'job-A' && e.outcome === 'rejected'));
  await log.clearFilters();

  await log.filterByError('CodeDeliveryFailureException');
  await log.expectAllLoaded(1);
  await log.expectEntry({
    username: 'bulk-042',
    outcome: 'rejected',
    summary: 'CodeDeliveryFailureException',
  });
  await log.clearFilters();

  await log.filterByMedium('SMS');
  await log.expectAllLoaded(count((e) => e.deliveryMedium === 'SMS'));
  await log.clearFilters();

  await log.filterByDates('2026-03-01', '2026-03-01');
  await log.expectAllLoaded(50);
  await log.searchFor('bulk-04');
  await log.expectAllLoaded(10);
  await log.clearFilters();
  await expect(log.scroller).toHaveAttribute('data-loaded', '100');

  await log.searchFor('bulk-31');
  await log.expectAllLoaded(10);
  const detail = await log.openDetails('bulk-312');
  await expect(detail('outcome')).toHaveText('created');
  await expect(detail('userSub')).toHaveText('00000000-0000-4000-a000-000000000312');
  await expect(detail('deliveryMedium')).toHaveText('SMS');
  await log.closeDetails();

  test.skip(app.harness === null, 'Export needs the save dialog answered: the harness does that.');
  const harness = app.harness!;

  // CSV of the filtered entries (text "bulk-31" → 10), then every entry.
  const csvPath = join(home, 'export-filtered.csv');
  harness.dialogs.setSaveResult(csvPath);
  expect(await log.exportAs('csv')).toEqual({ count: 10, path: csvPath });
  const filteredCsv = (await readFile(csvPath, 'utf8')).trim().split('\n');
  expect(filteredCsv[0]).toMatch(/^id,time,source,jobId,/);
  expect(filteredCsv).toHaveLength(11);
  expect(filteredCsv[1]).toContain('bulk-319');

  await log.clearFilters();
  const allCsvPath = join(home, 'export-all.csv');
  harness.dialogs.setSaveResult(allCsvPath);
  expect((await log.exportAs('csv')).count).toBe(ENTRIES);
  const allCsv = await readFile(allCsvPath, 'utf8');
  // Formula-safe: a cell a spreadsheet would run starts with a quote (OWASP CSV injection).
  expect(allCsv).toContain(`,'${FORMULA_USER},`);
  expect(allCsv).not.toMatch(/,=SUM/);
  expect(allCsv.trim().split('\n')).toHaveLength(ENTRIES + 1);

  // JSON of one job's rejected entries, as LogEntry objects.
  await log.filterByJob('job-B');
  await log.showOnlyOutcomes(['rejected']);
  await log.expectAllLoaded(25);
  const jsonPath = join(home, 'export.json');
  harness.dialogs.setSaveResult(jsonPath);
  expect((await log.exportAs('json')).count).toBe(25);
  const exported = JSON.parse(await readFile(jsonPath, 'utf8')) as Array<{
    username: string;
    jobId: string;
    outcome: string;
  }>;
  expect(exported).toHaveLength(25);
  expect(exported.every((e) => e.jobId === 'job-B' && e.outcome === 'rejected')).toBe(true);
  expect(exported[0]?.username).toBe('bulk-199');
  // The dialog was asked for the right kind of file.
  expect(harness.dialogs.requests().at(-1)).toMatchObject({
    kind: 'saveFile',
    defaultName: 'signup-desk-log.json',
  });

  // A cancelled save dialog exports nothing and says nothing.
  harness.dialogs.setSaveResult(null);
  await page.getByTestId('log-export-csv').click();
  await expect(page.getByTestId('log-export-result')).toBeHidden();
});
