/**
 * The Log screen, in the words of someone checking what happened. The list is virtualised: only
 * the rows in view are in the DOM, so `entries` are the RENDERED rows; `loadedCount()` says how
 * many entries the screen has fetched, `scrollToEnd()` pages through all of them.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Outcome } from '@shared/contract';
import { AppShell } from './AppShell';

export interface ExpectedEntry {
  username: string;
  outcome?: Outcome;
  userSub?: string;
  profile?: string;
  source?: string;
  /** Text in the delivery / error column (error name, message, destination …). */
  summary?: string | RegExp;
}

export class LogPage {
  readonly shell: AppShell;
  readonly entries: Locator;
  readonly details: Locator;
  readonly scroller: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.entries = page.getByTestId('log-entry');
    this.details = page.getByTestId('log-details');
    this.scroller = page.getByTestId('log-scroll');
    this.empty = page.getByTestId('log-empty');
  }

  async open(): Promise<void> {
    await this.shell.goTo('log');
  }

  /** Rows for one username, newest first. */
  entriesFor(username: string): Locator {
    return this.entries.filter({
      has: this.page.getByTestId('log-entry-username').getByText(username, { exact: true }),
    });
  }

  async expectEntry(expected: ExpectedEntry): Promise<Locator> {
    const row = this.entriesFor(expected.username).first();
    await expect(row).toBeVisible();
    if (expected.outcome !== undefined) await expect(row).toHaveAttribute('data-outcome', expected.outcome);
    if (expected.userSub !== undefined)
      await expect(row.getByTestId('log-entry-user-sub')).toHaveText(expected.userSub);
    if (expected.profile !== undefined)
      await expect(row.getByTestId('log-entry-profile')).toHaveText(expected.profile);
    if (expected.source !== undefined)
      await expect(row.getByTestId('log-entry-source')).toHaveText(expected.source);
    if (expected.summary !== undefined)
      await expect(row.getByTestId('log-entry-summary')).toContainText(expected.summary);
    return row;
  }

  /** Presses Refresh (for entries made outside the form, e.g. by the CLI) and waits for the list. */
  async refresh(): Promise<void> {
    await this.page.getByTestId('log-refresh').click();
    await expect(this.page.getByTestId('log-panel')).toHaveAttribute('aria-busy', 'false');
  }

  async expectEntryCount(count: number): Promise<void> {
    await expect(this.entries).toHaveCount(count);
  }

  async expectNoEntries(): Promise<void> {
    await expect(this.empty).toBeVisible();
    await expect(this.entries).toHaveCount(0);
  }

  async searchFor(text: string): Promise<void> {
    await this.page.getByTestId('log-filter-text').fill(text);
  }

  async showOnlyOutcomes(outcomes: Outcome[]): Promise<void> {
    for (const outcome of ['created', 'exists', 'rejected', 'invalid', 'error'] as const) {
      await this.page.getByTestId(`log-filter-outcome-${outcome}`).setChecked(outcomes.includes(outcome));
    }
  }

  /** Waits until no request is in flight. */
  async settled(): Promise<void> {
    await expect(this.page.getByTestId('log-panel')).toHaveAttribute('aria-busy', 'false');
  }

  /** How many entries the screen has fetched (rendered or not). */
  async loadedCount(): Promise<number> {
    return Number(await this.scroller.getAttribute('data-loaded'));
  }

  /** Waits until exactly `count` entries are loaded and there is nothing more to fetch. */
  async expectAllLoaded(count: number): Promise<void> {
    await expect(this.scroller).toHaveAttribute('data-loaded', String(count));
    await expect(this.scroller).toHaveAttribute('data-has-more', 'false');
    await this.settled();
  }

  /** Scrolls the list to its end again and again until every matching entry is loaded. */
  async scrollToEnd(): Promise<void> {
    await expect
      .poll(
        async () => {
          await this.scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return this.scroller.getAttribute('data-has-more');
        },
        { timeout: 30_000, intervals: [100, 200, 300] },
      )
      .toBe('false');
    await this.settled();
  }

  async filterByJob(jobId: string): Promise<void> {
    await this.page.getByTestId('log-filter-job').selectOption(jobId);
  }

  async filterByError(errorName: string): Promise<void> {
    await this.page.getByTestId('log-filter-error').selectOption(errorName);
  }

  async filterByMedium(medium: '' | 'EMAIL' | 'SMS'): Promise<void> {
    await this.page.getByTestId('log-filter-medium').selectOption(medium);
  }

  /** Dates as yyyy-mm-dd; empty clears. */
  async filterByDates(from: string, to: string): Promise<void> {
    await this.page.getByTestId('log-filter-from').fill(from);
    await this.page.getByTestId('log-filter-to').fill(to);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('log-filter-clear').click();
  }

  /** Presses Export CSV/JSON (the save dialog must have been answered by the test); returns the count shown. */
  async exportAs(format: 'csv' | 'json'): Promise<{ count: number; path: string }> {
    await this.page.getByTestId(`log-export-${format}`).click();
    const result = this.page.getByTestId('log-export-result');
    await expect(result).toBeVisible();
    return {
      count: Number(await result.getByTestId('log-export-count').textContent()),
      path: (await result.getByTestId('log-export-path').textContent()) ?? '',
    };
  }

  /** Opens the full details of the newest entry for `username`; returns a reader of its fields. */
  async openDetails(username: string): Promise<(field: string) => Locator> {
    await this.entriesFor(username).first().click();
    await expect(this.details).toBeVisible();
    await expect(this.details.getByTestId('log-detail-username')).toHaveText(username);
    return (field: string) => this.details.getByTestId(`log-detail-${field}`);
  }

  async closeDetails(): Promise<void> {
    await this.details.getByTestId('log-details-close').click();
    await expect(this.details).toBeHidden();
  }
}
