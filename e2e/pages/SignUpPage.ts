/** The Sign up screen, in the words of someone creating one account. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Outcome } from '@shared/contract';
import { AppShell } from './AppShell';
import { fillAndLeave } from './fields';

export interface SignUpDetails {
  username: string;
  password: string;
  /** Standard attributes by name (email, phone_number, …); ones not shown by default are added from the picker. */
  attributes?: Record<string, string>;
  /** Custom attributes by the name after "custom:". */
  custom?: Record<string, string>;
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  analyticsEndpointId?: string;
  ipAddress?: string;
  encodedData?: string;
  /** Pick this profile instead of the active one. */
  profile?: string;
}

export interface ExpectedResult {
  errorName?: string;
  message?: string | RegExp;
  hint?: string | RegExp;
}

export class SignUpPage {
  readonly shell: AppShell;
  readonly form: Locator;
  readonly result: Locator;
  readonly banner: Locator;
  readonly submitButton: Locator;
  readonly password: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.form = page.getByTestId('signup-form');
    this.result = page.getByTestId('signup-result');
    this.banner = page.getByTestId('signup-banner');
    this.submitButton = page.getByTestId('signup-submit');
    this.password = page.getByTestId('signup-password');
  }

  async open(): Promise<void> {
    await this.shell.goTo('sign-up');
    await expect(this.form).toBeVisible();
  }

  async chooseProfile(name: string): Promise<void> {
    const select = this.page.getByTestId('signup-profile');
    const option = select.locator('option', { hasText: name });
    await select.selectOption((await option.first().getAttribute('value')) ?? '');
  }

  async fill(details: SignUpDetails): Promise<void> {
    if (details.profile !== undefined) await this.chooseProfile(details.profile);
    await fillAndLeave(this.page.getByTestId('signup-username'), details.username);
    await fillAndLeave(this.password, details.password);
    for (const [name, value] of Object.entries(details.attributes ?? {})) {
      const field = this.page.getByTestId(`signup-attr-${name}`);
      if ((await field.count()) === 0) {
        await this.page.getByTestId('signup-add-attribute').selectOption(name);
        await this.page.getByTestId('signup-add-attribute-button').click();
        await expect(field).toBeVisible();
      }
      await fillAndLeave(field, value);
    }
    for (const [name, value] of Object.entries(details.custom ?? {})) {
      const index = await this.page
        .locator('[data-testid^="signup-custom-name-"]:not([data-testid$="-error"])')
        .count();
      await this.page.getByTestId('signup-add-custom').click();
      await fillAndLeave(this.page.getByTestId(`signup-custom-name-${index}`), name);
      await fillAndLeave(this.page.getByTestId(`signup-custom-value-${index}`), value);
    }
    const advanced =
      details.validationData ??
      details.clientMetadata ??
      details.analyticsEndpointId ??
      details.ipAddress ??
      details.encodedData;
    if (advanced !== undefined) await this.openAdvanced();
    await this.fillRows('signup-validation-data', details.validationData);
    await this.fillRows('signup-client-metadata', details.clientMetadata);
    if (details.analyticsEndpointId !== undefined)
      await fillAndLeave(this.page.getByTestId('signup-analytics-endpoint-id'), details.analyticsEndpointId);
    if (details.ipAddress !== undefined)
      await fillAndLeave(this.page.getByTestId('signup-ip-address'), details.ipAddress);
    if (details.encodedData !== undefined)
      await fillAndLeave(this.page.getByTestId('signup-encoded-data'), details.encodedData);
  }

  async openAdvanced(): Promise<void> {
    const body = this.page.getByTestId('signup-advanced');
    if (!(await body.isVisible())) await this.page.getByTestId('signup-advanced-toggle').click();
    await expect(body).toBeVisible();
  }

  private async fillRows(testid: string, rows: Record<string, string> | undefined): Promise<void> {
    for (const [name, value] of Object.entries(rows ?? {})) {
      const index = await this.page
        .locator(`[data-testid^="${testid}-name-"]:not([data-testid$="-error"])`)
        .count();
      await this.page.getByTestId(`${testid}-add`).click();
      await fillAndLeave(this.page.getByTestId(`${testid}-name-${index}`), name);
      await fillAndLeave(this.page.getByTestId(`${testid}-value-${index}`), value);
    }
  }

  /** Presses "Sign up" without waiting for an answer (for input the form refuses to send). */
  async pressSignUp(): Promise<void> {
    await this.submitButton.click();
  }

  /** Fills the form the way a person would, submits it and waits for Cognito's answer. */
  async signUp(details: SignUpDetails): Promise<void> {
    await this.open();
    await this.fill(details);
    await this.submitButton.click();
    await expect(this.result.or(this.banner)).toBeVisible();
    await expect(this.submitButton).toBeEnabled();
  }

  /** Expects the user created; returns the UserSub shown. */
  async expectCreated(username: string): Promise<string> {
    await expect(this.result).toHaveAttribute('data-outcome', 'created');
    await expect(this.page.getByTestId('result-title')).toHaveText(`User “${username}” created`);
    const sub = this.page.getByTestId('result-user-sub');
    await expect(sub).toHaveText(/^[0-9a-f-]{36}$/i);
    return (await sub.textContent()) ?? '';
  }

  /** Expects an outcome other than "created", with Cognito's error shown as is. */
  async expectResult(outcome: Exclude<Outcome, 'created'>, expected: ExpectedResult = {}): Promise<void> {
    await expect(this.result).toHaveAttribute('data-outcome', outcome);
    await expect(this.page.getByTestId('result-title')).toContainText(/^Not (created|sent)/);
    await expect(this.result).not.toContainText(/success/i);
    if (expected.errorName !== undefined)
      await expect(this.page.getByTestId('result-error-name')).toHaveText(expected.errorName);
    if (expected.message !== undefined)
      await expect(this.page.getByTestId('result-error-message')).toContainText(expected.message);
    if (expected.hint !== undefined)
      await expect(this.page.getByTestId('result-hint')).toContainText(expected.hint);
  }

  /** The message next to a field; `field` is a testid suffix: username, password, attr-email, custom-name-0 … */
  fieldError(field: string): Locator {
    return this.page.getByTestId(`signup-${field}-error`);
  }

  async expectFieldError(field: string, message: string | RegExp): Promise<void> {
    await expect(this.fieldError(field)).toContainText(message);
    await expect(this.page.getByTestId(`signup-${field}`)).toHaveAttribute('aria-invalid', 'true');
  }

  async expectNoFieldErrors(): Promise<void> {
    await expect(this.form.locator('.field-error')).toHaveCount(0);
  }

  async expectPasswordCleared(): Promise<void> {
    await expect(this.password).toHaveValue('');
  }
}
