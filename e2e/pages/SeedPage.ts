/** QA seeding on the Import screen, in the words of a QA engineer filling a test pool. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { AppDialogs } from '../support/fixtures';
import { JobPanel, openImportScreen, SendSettings } from './ImportPage';

export interface SeedPattern {
  count: number;
  usernameTemplate?: string;
  emailTemplate?: string;
  domain?: string;
  phonePrefix?: string;
  start?: number;
  pad?: number;
}

export class SeedPage {
  readonly settings: SendSettings;
  readonly job: JobPanel;
  readonly preview: Locator;
  readonly banner: Locator;

  constructor(
    readonly page: Page,
    readonly dialogs: AppDialogs,
  ) {
    this.settings = new SendSettings(page, 'seed');
    this.job = new JobPanel(page, dialogs);
    this.preview = page.getByTestId('seed-preview');
    this.banner = page.getByTestId('seed-banner');
  }

  async open(): Promise<void> {
    await openImportScreen(this.page);
    await this.page.getByTestId('import-mode-seed').click();
    await expect(this.page.getByTestId('seed-form')).toBeVisible();
  }

  /** Fills the pattern and waits until the preview shows it. */
  async describeUsers(pattern: SeedPattern): Promise<void> {
    const fields: Array<[string, string | number | undefined]> = [
      ['seed-count', pattern.count],
      ['seed-username', pattern.usernameTemplate],
      ['seed-email', pattern.emailTemplate],
      ['seed-domain', pattern.domain],
      ['seed-phone', pattern.phonePrefix],
      ['seed-start', pattern.start],
      ['seed-pad', pattern.pad],
    ];
    for (const [testid, value] of fields)
      if (value !== undefined) await this.page.getByTestId(testid).fill(String(value));
    await expect(this.page.getByTestId('seed-preview-count')).toHaveText(
      pattern.count.toLocaleString('en-US'),
    );
  }

  /** The preview's cells, row by row. */
  async previewRows(): Promise<string[][]> {
    return this.preview
      .locator('tbody tr')
      .evaluateAll((rows: HTMLTableRowElement[]) =>
        rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
  }

  async start(): Promise<void> {
    await this.page.getByTestId('seed-start-button').click();
    await this.job.expectShown();
  }
}
