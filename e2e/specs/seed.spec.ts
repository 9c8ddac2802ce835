/**
 * QA seeding end to end: a pattern previewed like a CSV, sent through the same engine and progress
 * screen as an import, generated passwords only in the saved report.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures';
import { SeedPage } from '../pages';
import { addPoolProfile, existing, parseReport } from './import-helpers';

test('generates 200 QA users: all in the pool, their passwords only in the report', async ({
  page,
  pool,
  app,
  home,
  saveScreenshot,
}) => {
  test.setTimeout(120_000);
  await addPoolProfile(page, pool);
  const seeding = new SeedPage(page, app.dialogs);
  await seeding.open();
  await seeding.describeUsers({
    count: 200,
    usernameTemplate: 'qa-{n}',
    emailTemplate: '{username}@{domain}',
    domain: 'example.com',
    phonePrefix: '+1555',
    start: 1,
    pad: 3,
  });
  const preview = await seeding.previewRows();
  expect(preview[0]?.slice(0, 2)).toEqual(['qa-001', 'qa-001@example.com']);
  expect(preview[0]?.[2]).toMatch(/^\+1555\d+$/);
  // cognito-local manages ~150 sign-ups/s on an empty pool: stay under it.
  await seeding.settings.useGeneratedPasswords({ length: 16 });
  await seeding.settings.setSpeed({ rate: 50, concurrency: 8 });
  await seeding.settings.expectQuotaExplained();
  await saveScreenshot('seed-form');

  await seeding.start();
  await seeding.job.expectShown('200 QA users');
  await seeding.job.waitUntilFinished('completed', 90_000);
  await seeding.job.expectCounts({ created: 200, exists: 0, invalid: 0, failed: 0, remaining: 0 });
  await seeding.job.expectSummary('200 created — every row was created');
  const shown = await seeding.job.liveRows.count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(100);
  await saveScreenshot('seed-finished');

  const usernames = Array.from({ length: 200 }, (_, i) => `qa-${String(i + 1).padStart(3, '0')}`);
  expect(await existing(pool, usernames)).toHaveLength(200);

  const report = parseReport(await seeding.job.saveReport(join(home, 'qa-users.csv')));
  expect(report).toHaveLength(200);
  expect(report.map((r) => r['username']).sort()).toEqual(usernames);
  const passwords = report.map((r) => r['generated_password'] ?? '');
  expect(passwords.every((p) => p.length === 16)).toBe(true);
  expect(new Set(passwords).size).toBe(200);

  // Nowhere else: not on the screen, not in the generated seed file.
  const sample = passwords[0] ?? '';
  expect(await page.content()).not.toContain(sample);
  const seeds = join(home, 'seeds');
  for (const file of await readdir(seeds))
    expect(await readFile(join(seeds, file), 'utf8')).not.toContain(sample);
});
