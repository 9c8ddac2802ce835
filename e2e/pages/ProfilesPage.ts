/** The Profiles screen, in the words of someone managing pool profiles. */
import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell';
import { fillAndLeave } from './fields';

export interface ProfileFields {
  name?: string;
  region?: string;
  userPoolId?: string;
  clientId?: string;
  endpoint?: string;
}

/** The profile form's fields, by the ProfileInput key they edit. */
const FIELD_TESTIDS = {
  name: 'profile-name',
  region: 'profile-region',
  userPoolId: 'profile-user-pool-id',
  clientId: 'profile-client-id',
  endpoint: 'profile-endpoint',
} as const;
export type ProfileField = keyof typeof FIELD_TESTIDS;

export class ProfilesPage {
  readonly shell: AppShell;
  readonly screen: Locator;
  readonly emptyState: Locator;
  readonly form: Locator;
  readonly banner: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.screen = page.getByTestId('screen-profiles');
    this.emptyState = page.getByTestId('profiles-empty');
    this.form = page.getByTestId('profile-form');
    this.banner = page.getByTestId('profiles-banner');
    this.items = page.getByTestId('profile-item');
  }

  async open(): Promise<void> {
    await this.shell.goTo('profiles');
  }

  /** One profile's card, found by its name. */
  profile(name: string): Locator {
    return this.items.filter({
      has: this.page.getByTestId('profile-item-name').getByText(name, { exact: true }),
    });
  }

  field(key: ProfileField): Locator {
    return this.form.getByTestId(FIELD_TESTIDS[key]);
  }

  /** Opens the "Add a profile" form from the empty state or the header, whichever is there. */
  async startAddingProfile(): Promise<void> {
    await this.open();
    const fromEmpty = this.page.getByTestId('empty-add-profile');
    const fromHeader = this.page.getByTestId('add-profile');
    await expect(fromEmpty.or(fromHeader)).toBeVisible();
    await ((await fromEmpty.isVisible()) ? fromEmpty : fromHeader).click();
    await expect(this.form).toBeVisible();
  }

  async fillProfile(fields: ProfileFields): Promise<void> {
    for (const key of Object.keys(FIELD_TESTIDS) as ProfileField[]) {
      const value = fields[key];
      if (value !== undefined) await fillAndLeave(this.field(key), value);
    }
  }

  /** Fills the form and saves; waits for the profile to appear in the list. */
  async addProfile(fields: ProfileFields & { name: string }): Promise<void> {
    await this.startAddingProfile();
    await this.fillProfile(fields);
    await this.form.getByTestId('profile-save').click();
    await expect(this.form).toBeHidden();
    await expect(this.profile(fields.name)).toBeVisible();
  }

  /** Fills the form and presses save, expecting it to stay open (for invalid input). */
  async trySavingProfile(fields: ProfileFields): Promise<void> {
    await this.startAddingProfile();
    await this.fillProfile(fields);
    await this.form.getByTestId('profile-save').click();
    await expect(this.form).toBeVisible();
  }

  async editProfile(name: string, changes: ProfileFields): Promise<void> {
    await this.profile(name).getByTestId('profile-edit').click();
    await expect(this.form).toBeVisible();
    await this.fillProfile(changes);
    await this.form.getByTestId('profile-save').click();
    await expect(this.form).toBeHidden();
    await expect(this.profile(changes.name ?? name)).toBeVisible();
  }

  async makeActive(name: string): Promise<void> {
    await this.profile(name).getByTestId('profile-set-active').click();
    await this.expectProfile(name, { active: true });
  }

  /** Deletes through the confirmation dialog. */
  async deleteProfile(name: string): Promise<void> {
    await this.profile(name).getByTestId('profile-delete').click();
    const dialog = this.page.getByTestId('confirm-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('confirm-ok').click();
    await expect(this.profile(name)).toHaveCount(0);
  }

  /** Starts deleting, then changes one's mind. */
  async cancelDeletingProfile(name: string): Promise<void> {
    await this.profile(name).getByTestId('profile-delete').click();
    const dialog = this.page.getByTestId('confirm-dialog');
    await dialog.getByTestId('confirm-cancel').click();
    await expect(dialog).toBeHidden();
    await expect(this.profile(name)).toBeVisible();
  }

  /** Pastes the client secret into the profile's secret field and stores it (in the keychain). */
  async storeSecret(secret: string, profileName?: string): Promise<void> {
    const card = profileName === undefined ? this.items.first() : this.profile(profileName);
    await card.getByTestId('secret-input').fill(secret);
    await card.getByTestId('secret-save').click();
    await expect(card.getByTestId('profile-secret-status')).toHaveText('secret stored in keychain');
    await expect(card.getByTestId('secret-input')).toHaveValue('');
  }

  async removeSecret(profileName: string): Promise<void> {
    const card = this.profile(profileName);
    await card.getByTestId('secret-remove').click();
    await this.page.getByTestId('confirm-dialog').getByTestId('confirm-ok').click();
    await expect(card.getByTestId('profile-secret-status')).toHaveText('no secret');
  }

  /** "Try it without AWS": starts the local sandbox from the empty state. */
  async startSandbox(): Promise<void> {
    await this.open();
    await this.page.getByTestId('try-sandbox').click();
    await expect(this.items.filter({ has: this.page.getByTestId('profile-sandbox-badge') })).toBeVisible({
      timeout: 30_000,
    });
  }

  async expectEmptyState(): Promise<void> {
    await expect(this.emptyState).toBeVisible();
    await expect(this.page.getByTestId('try-sandbox')).toBeVisible();
    await expect(this.page.getByTestId('empty-add-profile')).toBeVisible();
  }

  async expectProfile(
    name: string,
    expected: { active?: boolean; sandbox?: boolean; hasSecret?: boolean; details?: string[] },
  ): Promise<void> {
    const card = this.profile(name);
    await expect(card).toBeVisible();
    if (expected.active !== undefined)
      await expect(card.getByTestId('profile-active-badge')).toHaveCount(expected.active ? 1 : 0);
    if (expected.sandbox !== undefined)
      await expect(card.getByTestId('profile-sandbox-badge')).toHaveCount(expected.sandbox ? 1 : 0);
    if (expected.hasSecret !== undefined)
      await expect(card.getByTestId('profile-secret-status')).toHaveText(
        expected.hasSecret ? 'secret stored in keychain' : 'no secret',
      );
    for (const text of expected.details ?? []) await expect(card).toContainText(text);
  }

  async expectFieldError(key: ProfileField, message: string | RegExp): Promise<void> {
    await expect(this.form.getByTestId(`${FIELD_TESTIDS[key]}-error`)).toContainText(message);
    await expect(this.field(key)).toHaveAttribute('aria-invalid', 'true');
  }

  async expectBanner(name: string, hint?: string | RegExp): Promise<void> {
    await expect(this.banner.getByTestId('profiles-banner-name')).toHaveText(name);
    if (hint !== undefined) await expect(this.banner.getByTestId('profiles-banner-hint')).toContainText(hint);
  }
}
