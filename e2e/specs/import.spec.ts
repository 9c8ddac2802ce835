/**
 * CSV import end to end, driven through the screens: file dialog → what was read → mapping → dry
 * run → passwords and speed → the job's progress → the pool (cognito-local behind the proxy) and
 * the saved results report. Also pause/resume, a stop on a quota error, and a crash mid-job.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../support/kill-app';
import { ImportPage, UnfinishedJobsOffer } from '../pages';
import { addPoolProfile, existing, FIXTURES, parseReport, PASSWORD } from './import-helpers';

const MIXED = join(FIXTURES, 'mixed-users.csv');
const FORTY = join(FIXTURES, 'forty-users.csv');
const FORTY_USERS = Array.from({ length: 40 }, (_, i) => `batch-user-${String(i + 1).padStart(2, '0')}`);

test.describe('a mixed file', () => {
  // Makes cognito-local refuse a sign-up without an email (InvalidParameterException): a row that
  // passes every local check and still fails at Cognito.
  test.use({ poolOptions: { autoVerifiedAttributes: ['email'] } });

  test('imports the good rows, lists the bad ones by line, says what failed, saves the report and retries', async ({
    page,
    pool,
    app,
    home,
    saveScreenshot,
  }) => {
    await addPoolProfile(page, pool);
    const importing = new ImportPage(page, app.dialogs);
    await importing.open();
    await saveScreenshot('import-choose-file');

    await importing.chooseFile(MIXED);
    await importing.expectDetected({
      fileName: 'mixed-users.csv',
      encoding: /utf-8/i,
      delimiter: ',',
      rows: 10,
    });
    await expect(importing.previewRows().first()).toContainText('alice@example.com');
    await importing.expectColumn('username', { sentAs: 'username', required: true, unknown: false });
    await importing.expectColumn('phone_number', { sentAs: 'phone_number' });
    await importing.expectColumn('Department', { sentAs: 'ignore', unknown: true });

    await importing.settings.useOnePasswordForAll(PASSWORD);
    await importing.settings.expectQuotaExplained();
    await importing.settings.setSpeed({ rate: 20, concurrency: 4 });
    await importing.checkEveryRow();
    await importing.expectDryRun({
      rows: 10,
      willSend: 5,
      problems: {
        'invalid-username': 1,
        'invalid-attribute': 1,
        'excel-phone': 1,
        'duplicate-username': 1,
        'ragged-row': 1,
      },
    });
    await expect(importing.problemRows()).toHaveCount(5);
    await saveScreenshot('import-dry-run');
    await importing.showProblems('excel-phone');
    await expect(importing.problemRows()).toHaveCount(1);
    await expect(importing.problemRows()).toHaveAttribute('data-line', '6');
    await expect(importing.problemRows()).toContainText('phone_number');
    await importing.showProblems(null);
    await expect(importing.problemRows()).toHaveCount(5);

    await importing.start();
    await importing.job.waitUntilFinished('completed');
    await importing.job.expectCounts({ created: 4, exists: 0, invalid: 5, failed: 1, remaining: 0 });
    await importing.job.expectSummary('4 created, 5 invalid, 1 failed — see the report');
    await expect(importing.job.summary).not.toContainText(/success/i);
    await expect(importing.job.liveRow('ivan')).toHaveAttribute('data-outcome', /rejected|error/);
    await saveScreenshot('import-finished');

    expect(
      (await existing(pool, ['alice', 'bob', 'frank', 'heidi', 'ivan', 'carol', 'erin', 'grace'])).sort(),
    ).toEqual(['alice', 'bob', 'frank', 'heidi']);

    const report = parseReport(await importing.job.saveReport(join(home, 'results.csv')));
    const outcome = Object.fromEntries(report.map((r) => [`${r['line']}:${r['username']}`, r['outcome']]));
    expect(outcome).toMatchObject({
      '2:alice': 'created',
      '3:bob': 'created',
      '4:carol': 'invalid',
      '7:frank': 'created',
      '8:Alice': 'invalid',
      '10:heidi': 'created',
      '11:ivan': 'failed',
    });
    expect(report.find((r) => r['username'] === 'ivan')?.['error_name']).toBe('InvalidParameterException');
    expect(report).toHaveLength(10);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);

    // The failed row is sent again as a new job (and fails again: the file still has no email for it).
    await importing.job.retryFailedRows(PASSWORD);
    await importing.job.waitUntilFinished('completed');
    await importing.job.expectCounts({ created: 0, failed: 1, remaining: 0 });
    await importing.job.expectSummary('0 created, 1 failed — see the report');
  });
});

test('never shows the values of the password column, in the preview or the mapping', async ({
  page,
  pool,
  app,
  home,
}) => {
  const secret = 'Csv-Passw0rd-in-a-cell!';
  const file = join(home, 'with-passwords.csv');
  writeFileSync(
    file,
    `username,email,password\nzoe,zoe@example.com,${secret}\nyan,yan@example.com,${secret}\n`,
  );
  await addPoolProfile(page, pool);
  const importing = new ImportPage(page, app.dialogs);
  await importing.open();
  await importing.chooseFile(file);
  await importing.expectColumn('password', { sentAs: 'password' });
  await expect(importing.column('password').getByTestId('import-sample-2')).toHaveText('••••••');
  await expect(importing.column('email').getByTestId('import-sample-1')).toHaveText('zoe@example.com');
  await expect(importing.previewRows().first()).toContainText('••••••');
  expect(await page.locator('body').innerText()).not.toContain(secret);
});

test('pauses and resumes an import; the shared password is asked for again', async ({
  page,
  pool,
  app,
  saveScreenshot,
}) => {
  await addPoolProfile(page, pool);
  const importing = new ImportPage(page, app.dialogs);
  await importing.open();
  await importing.chooseFile(FORTY);
  await importing.settings.useOnePasswordForAll(PASSWORD);
  // Slow enough (10 s for the file) to pause half-way.
  await importing.settings.setSpeed({ rate: 4, concurrency: 1 });
  await importing.checkEveryRow();
  await importing.expectDryRun({ rows: 40, willSend: 40 });
  await importing.start();

  await importing.job.waitForCount('created', 3);
  await saveScreenshot('import-running');
  await importing.job.pause();
  const createdAtPause = await importing.job.count('created');
  expect(createdAtPause).toBeLessThan(40);
  await importing.job.expectCounts({ remaining: 40 - createdAtPause });
  await saveScreenshot('import-paused');
  expect(await importing.job.count('created')).toBe(createdAtPause);

  await importing.job.resume(PASSWORD);
  await importing.job.waitUntilFinished('completed');
  await importing.job.expectCounts({ created: 40, failed: 0, exists: 0, remaining: 0 });
  await importing.job.expectSummary('40 created — every row was created');
  expect(await existing(pool, FORTY_USERS)).toHaveLength(40);
  const calls = pool.proxy.stats().byUsername;
  expect(FORTY_USERS.filter((u) => calls[u] !== 1)).toEqual([]);
});

test.describe('a quota error', () => {
  test.use({ proxyFaults: { limitExceededAfter: 5 } });

  test('stops the job with a banner saying why and what to do, and resumes after', async ({
    page,
    pool,
    app,
    saveScreenshot,
  }) => {
    await addPoolProfile(page, pool);
    const importing = new ImportPage(page, app.dialogs);
    await importing.open();
    await importing.chooseFile(FORTY);
    await importing.settings.useOnePasswordForAll(PASSWORD);
    await importing.settings.setSpeed({ rate: 20, concurrency: 1 });
    await importing.checkEveryRow();
    await importing.start();

    await importing.job.waitUntilFinished('stopped');
    await importing.job.expectStopBanner('LimitExceededException');
    // The sixth call created its user (UNCONFIRMED) but sent no code, as Cognito does: counted created.
    await importing.job.expectCounts({ created: 6, failed: 0 });
    expect(await existing(pool, FORTY_USERS)).toHaveLength(6);
    await expect(importing.job.summary).not.toContainText(/success/i);
    await saveScreenshot('import-stopped-quota');

    pool.proxy.control.clear();
    await importing.job.resume(PASSWORD);
    await importing.job.waitUntilFinished('completed');
    await importing.job.expectCounts({ created: 40, failed: 0, remaining: 0 });
    expect(await existing(pool, FORTY_USERS)).toHaveLength(40);
    // The user created without a code was never sent again.
    const calls = pool.proxy.stats().byUsername;
    expect(FORTY_USERS.filter((u) => calls[u] !== 1)).toEqual([]);
  });
});

test.describe('a crash mid-job', () => {
  // Slow answers keep requests in flight when the process dies.
  test.use({ proxyFaults: { delayMs: 150 } });

  // FIXME (open in issue 8's note): in browser mode the "crash" keeps the dead services' engine in the
  // same process, and its lease and quota timers go on running — a real crash stops them. Since jobs
  // hold leases and quota allocations, the resumed run stalls near the end here. The same journey
  // with a real SIGKILL of a real process passes (src/main/cli/import.test.ts, "survives SIGKILL").
  test.fixme('offers the interrupted job at the next start and resumes it: every valid row exists once', async ({
    page,
    pool,
    app,
    killApp,
    saveScreenshot,
  }) => {
    test.skip(app.mode !== 'harness', 'killApp() drops the services in-process: harness mode only');
    await addPoolProfile(page, pool);
    const importing = new ImportPage(page, app.dialogs);
    await importing.open();
    await importing.chooseFile(FORTY);
    await importing.settings.useOnePasswordForAll(PASSWORD);
    await importing.settings.setSpeed({ rate: 20, concurrency: 4 });
    await importing.checkEveryRow();
    await importing.start();
    await importing.job.waitForCount('created', 8);

    const after = await killApp({ parkedSends: 4 });
    const offer = new UnfinishedJobsOffer(after);
    await offer.expectOffered('forty-users.csv', 'interrupted');
    await saveScreenshot('import-unfinished-offer');
    await offer.resume('forty-users.csv', PASSWORD);

    const resumed = new ImportPage(after, app.dialogs);
    await resumed.job.waitUntilFinished('completed');
    await resumed.job.expectCounts({ failed: 0, invalid: 0, remaining: 0 });
    const created = await resumed.job.count('created');
    const exists = await resumed.job.count('exists');
    expect(created + exists).toBe(40);
    // Rows whose answer died with the process were sent again and found already there.
    expect(exists).toBeGreaterThanOrEqual(1);
    await expect(
      resumed.job.liveRows.filter({ hasText: 'possibly created by the interrupted attempt' }),
    ).toHaveCount(exists);
    await saveScreenshot('import-resumed-after-crash');

    expect(await existing(pool, FORTY_USERS)).toHaveLength(40);
    const calls = pool.proxy.stats().byUsername;
    expect(FORTY_USERS.filter((u) => (calls[u] ?? 0) < 1 || (calls[u] ?? 0) > 2)).toEqual([]);
  });
});

test('a CSV dropped on the window is read like a chosen one', async ({ page, pool, app, saveScreenshot }) => {
  await addPoolProfile(page, pool);
  const importing = new ImportPage(page, app.dialogs);
  await importing.open();
  await importing.dropFile(MIXED);
  await importing.expectDetected({ fileName: 'mixed-users.csv', delimiter: ',', rows: 10 });
  await expect(importing.previewRows()).toHaveCount(10);
  await importing.mapColumn('Department', 'custom:Department');
  await importing.expectColumn('Department', { sentAs: 'custom:Department', unknown: false });
  await saveScreenshot('import-dropped-and-mapped');
});
