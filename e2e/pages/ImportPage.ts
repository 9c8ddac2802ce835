/**
 * The Import screen in the words of an operator: choose a CSV, look at what was read, fix the
 * mapping, check every row, choose passwords and speed, start, watch, pause, resume, save the
 * report. Also the job panel (shared with QA seeding) and the start-up "unfinished imports" offer.
 * Waits are on the page's own state (expect…), never sleeps.
 */
import { AppShell } from './AppShell';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import type { AppDialogs } from '../support/fixtures';

export type JobState = 'running' | 'paused' | 'stopped' | 'cancelled' | 'completed' | 'interrupted';
export type JobCount = 'created' | 'exists' | 'invalid' | 'failed' | 'remaining';

export interface PasswordPolicy {
  length?: number;
  uppercase?: boolean;
  lowercase?: boolean;
  numbers?: boolean;
  symbols?: boolean;
}

/** Opens the Import screen from the navigation. */
export async function openImportScreen(page: Page): Promise<void> {
  await new AppShell(page).goTo('import');
}

/** Password and speed fields; the CSV form and the seeding form have the same ones under a prefix. */
export class SendSettings {
  constructor(
    readonly page: Page,
    readonly prefix: 'import' | 'seed',
  ) {}

  async chooseProfile(name: string): Promise<void> {
    const select = this.page.getByTestId(`${this.prefix}-profile`);
    const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
    await select.selectOption(value ?? '');
  }

  async usePasswordColumn(): Promise<void> {
    await this.page.getByTestId(`${this.prefix}-passwords-kind-column`).check();
  }

  async useOnePasswordForAll(password: string): Promise<void> {
    await this.page.getByTestId(`${this.prefix}-passwords-kind-shared`).check();
    await this.page.getByTestId(`${this.prefix}-passwords-shared`).fill(password);
  }

  async useGeneratedPasswords(policy: PasswordPolicy = {}): Promise<void> {
    const id = `${this.prefix}-passwords`;
    await this.page.getByTestId(`${id}-kind-generated`).check();
    if (policy.length !== undefined) await this.page.getByTestId(`${id}-length`).fill(String(policy.length));
    const boxes: Array<[keyof PasswordPolicy, string]> = [
      ['uppercase', 'upper'],
      ['lowercase', 'lower'],
      ['numbers', 'numbers'],
      ['symbols', 'symbols'],
    ];
    for (const [key, suffix] of boxes) {
      const value = policy[key];
      if (typeof value === 'boolean') await this.page.getByTestId(`${id}-${suffix}`).setChecked(value);
    }
  }

  async setSpeed(speed: { rate?: number; concurrency?: number }): Promise<void> {
    if (speed.rate !== undefined)
      await this.page.getByTestId(`${this.prefix}-speed-rate`).fill(String(speed.rate));
    if (speed.concurrency !== undefined)
      await this.page.getByTestId(`${this.prefix}-speed-concurrency`).fill(String(speed.concurrency));
  }

  async expectQuotaExplained(): Promise<void> {
    await expect(this.page.getByTestId(`${this.prefix}-speed-quota`)).toContainText(
      'SignUp shares the UserCreation quota, 50 requests/s per account and region by default, with your production traffic',
    );
  }
}

/** The progress of a running or finished job (an import, a seeding, a resume, a retry). */
export class JobPanel {
  readonly panel: Locator;
  readonly summary: Locator;
  readonly liveRows: Locator;

  constructor(
    readonly page: Page,
    readonly dialogs: AppDialogs,
  ) {
    this.panel = page.getByTestId('job-panel');
    this.summary = page.getByTestId('job-summary');
    this.liveRows = page.getByTestId('job-live-row');
  }

  async expectShown(title?: string | RegExp): Promise<void> {
    await expect(this.panel).toBeVisible();
    if (title !== undefined) await expect(this.page.getByTestId('job-title')).toHaveText(title);
  }

  async expectState(state: JobState, timeout = 30_000): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-state', state, { timeout });
  }

  /** Waits until the job has stopped running, whichever way it ended. */
  async waitUntilFinished(state: JobState = 'completed', timeout = 60_000): Promise<void> {
    await this.expectState(state, timeout);
  }

  async count(which: JobCount): Promise<number> {
    const text = (await this.page.getByTestId(`job-count-${which}`).textContent()) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** Waits (on the screen) until at least `n` rows are counted as `which`. */
  async waitForCount(which: JobCount, n: number, timeout = 30_000): Promise<void> {
    await expect.poll(() => this.count(which), { timeout }).toBeGreaterThanOrEqual(n);
  }

  async expectCounts(expected: Partial<Record<JobCount, number>>): Promise<void> {
    for (const [which, n] of Object.entries(expected))
      await expect(this.page.getByTestId(`job-count-${which}`)).toHaveText(n.toLocaleString('en-US'));
  }

  async pause(): Promise<void> {
    await this.page.getByTestId('job-pause').click();
    await this.expectState('paused');
  }

  /** Resumes, typing the shared password again when the job needs it. */
  async resume(password?: string): Promise<void> {
    if (password !== undefined) await this.page.getByTestId('job-password').fill(password);
    await this.page.getByTestId('job-resume').click();
    await expect(this.page.getByTestId('job-resume')).toBeHidden();
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('job-cancel').click();
    await this.page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await this.expectState('cancelled');
  }

  /** Saves the results report where the (scripted) save dialog says; returns its text. */
  async saveReport(path: string): Promise<string> {
    await this.dialogs.setSaveResult(path);
    await this.page.getByTestId('job-save-report').click();
    await expect(this.page.getByTestId('job-report-saved')).toContainText(path);
    return readFile(path, 'utf8');
  }

  async retryFailedRows(password?: string): Promise<void> {
    if (password !== undefined) await this.page.getByTestId('job-password').fill(password);
    await this.page.getByTestId('job-retry-failed').click();
    await expect(this.page.getByTestId('job-title')).toContainText('failed rows');
  }

  async expectSummary(text: string | RegExp): Promise<void> {
    await expect(this.summary).toContainText(text);
  }

  async expectStopBanner(errorName: string, hint?: string | RegExp): Promise<void> {
    const banner = this.page.getByTestId('job-stop-banner');
    await expect(banner).toBeVisible();
    await expect(this.page.getByTestId('job-stop-banner-name')).toHaveText(errorName);
    if (hint !== undefined) await expect(this.page.getByTestId('job-stop-banner-hint')).toContainText(hint);
  }

  /** A finished row in the live list. */
  liveRow(username: string): Locator {
    return this.liveRows.filter({ hasText: username });
  }

  async startAnother(): Promise<void> {
    await this.page.getByTestId('job-new').click();
    await expect(this.panel).toBeHidden();
  }
}

export interface Detected {
  fileName?: string;
  encoding?: string | RegExp;
  delimiter?: ',' | ';' | '\t';
  rows?: number;
}

export class ImportPage {
  readonly settings: SendSettings;
  readonly job: JobPanel;
  readonly banner: Locator;

  constructor(
    readonly page: Page,
    readonly dialogs: AppDialogs,
  ) {
    this.settings = new SendSettings(page, 'import');
    this.job = new JobPanel(page, dialogs);
    this.banner = page.getByTestId('import-banner');
  }

  async open(): Promise<void> {
    await openImportScreen(this.page);
    const csvTab = this.page.getByTestId('import-mode-csv');
    if (await csvTab.isVisible()) await csvTab.click();
  }

  /** Picks the file in the (scripted) open dialog and waits until the app has read it. */
  async chooseFile(path: string): Promise<void> {
    await this.dialogs.setOpenResult(path);
    await this.page.getByTestId('import-choose-file').click();
    await expect(this.page.getByTestId('import-file-name')).toHaveText(basename(path));
  }

  /** Drags the file from the desktop onto the window and drops it. */
  async dropFile(path: string): Promise<void> {
    const content = await readFile(path);
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, bytes }) => {
        // Runs in the page; the node-side tsconfig has no DOM types, hence the cast.
        const { DataTransfer } = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: File): void } };
        };
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
        return transfer;
      },
      { name: basename(path), bytes: [...content] },
    );
    const target = this.page.getByTestId('screen-import');
    await target.dispatchEvent('dragover', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
    await expect(this.page.getByTestId('import-file-name')).toHaveText(basename(path));
  }

  async expectDetected(expected: Detected): Promise<void> {
    if (expected.fileName !== undefined)
      await expect(this.page.getByTestId('import-file-name')).toHaveText(expected.fileName);
    if (expected.encoding !== undefined)
      await expect(this.page.getByTestId('import-encoding')).toHaveText(expected.encoding);
    if (expected.delimiter !== undefined)
      await expect(this.page.getByTestId('import-delimiter')).toHaveValue(expected.delimiter);
    if (expected.rows !== undefined)
      await expect(this.page.getByTestId('import-row-count')).toHaveText(
        expected.rows.toLocaleString('en-US'),
      );
  }

  previewRows(): Locator {
    return this.page.getByTestId('import-preview-row');
  }

  /** The mapping row of a column, by its header. */
  column(header: string): Locator {
    return this.page
      .getByTestId('import-mapping')
      .locator('tbody tr')
      .filter({ has: this.page.locator('th', { hasText: header }) });
  }

  async expectColumn(
    header: string,
    expected: { sentAs?: string; unknown?: boolean; required?: boolean },
  ): Promise<void> {
    const row = this.column(header);
    if (expected.sentAs !== undefined) await expect(row.locator('select')).toHaveValue(expected.sentAs);
    if (expected.unknown !== undefined)
      await expect(row).toHaveAttribute('data-known', expected.unknown ? 'false' : 'true');
    if (expected.required !== undefined)
      await expect(row.getByText('Required', { exact: true })).toHaveCount(expected.required ? 1 : 0);
  }

  async mapColumn(header: string, target: string): Promise<void> {
    await this.column(header).locator('select').selectOption(target);
    await expect(this.column(header)).toHaveAttribute('data-target', target);
  }

  /** Runs the dry run and waits for its result. */
  async checkEveryRow(): Promise<void> {
    await this.page.getByTestId('import-dry-run').click();
    await expect(this.page.getByTestId('import-dryrun-summary')).toBeVisible();
  }

  async expectDryRun(expected: {
    rows: number;
    willSend: number;
    problems?: Record<string, number>;
  }): Promise<void> {
    const summary = this.page.getByTestId('import-dryrun-summary');
    await expect(this.page.getByTestId('import-dryrun-send-count')).toHaveText(String(expected.willSend));
    await expect(summary).toContainText(`of ${expected.rows} rows will be sent`);
    for (const [kind, n] of Object.entries(expected.problems ?? {}))
      await expect(this.page.getByTestId(`import-problem-count-${kind}`)).toHaveText(String(n));
  }

  problemRows(): Locator {
    return this.page.getByTestId('import-problem-row');
  }

  /** Shows only problems of one kind (null: all). */
  async showProblems(kind: string | null): Promise<void> {
    const chip = this.page.getByTestId(
      kind === null ? 'import-problem-filter-all' : `import-problem-filter-${kind}`,
    );
    await chip.click();
    await expect(chip).toHaveAttribute('aria-pressed', 'true');
  }

  /** Starts the import after a dry run and waits for the job panel. */
  async start(): Promise<void> {
    const start = this.page.getByTestId('import-start');
    await expect(start).toBeEnabled();
    await start.click();
    await this.job.expectShown();
  }
}

/** The "Unfinished imports" offer shown at start-up. */
export class UnfinishedJobsOffer {
  readonly region: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByTestId('unfinished-jobs');
  }

  job(fileName: string): Locator {
    return this.region.getByTestId('unfinished-job').filter({ hasText: fileName });
  }

  async expectOffered(fileName: string, state?: JobState): Promise<void> {
    await expect(this.job(fileName)).toBeVisible();
    if (state !== undefined) await expect(this.job(fileName)).toHaveAttribute('data-state', state);
  }

  /** Resumes the job (typing the shared password when it asks) and lands on its progress. */
  async resume(fileName: string, password?: string): Promise<void> {
    const job = this.job(fileName);
    if (password !== undefined) await job.getByTestId('unfinished-password').fill(password);
    await job.getByTestId('unfinished-resume').click();
    await expect(this.page.getByTestId('screen-import')).toBeVisible();
    await expect(this.page.getByTestId('job-panel')).toBeVisible();
  }
}
