/**
 * The window's frame: the navigation between screens and the active-profile indicator.
 * Every wait is on the page's own state (expect(...).toBeVisible…), never a sleep.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type ScreenName = 'profiles' | 'sign-up' | 'import' | 'log';

export class AppShell {
  readonly activeProfile: Locator;

  constructor(readonly page: Page) {
    this.activeProfile = page.getByTestId('active-profile');
  }

  /** Clicks the screen's tab and waits until that screen is the one shown. */
  async goTo(screen: ScreenName): Promise<void> {
    await this.page.getByTestId(`nav-${screen}`).click();
    await expect(this.page.getByTestId(`screen-${screen}`)).toBeVisible();
  }

  async expectActiveProfile(name: string): Promise<void> {
    await expect(this.activeProfile).toContainText(name);
  }

  /** Saves a full-page screenshot as test-results/screens/<name>.png for a person to look at. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  }
}
