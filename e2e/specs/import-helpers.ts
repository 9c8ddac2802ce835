/** Shared steps of the import and seeding specs. */
import { parse } from 'csv-parse/sync';
import type { Page } from '@playwright/test';
import { ProfilesPage } from '../pages';
import type { PoolFixture } from '../support/fixtures';

export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const FIXTURES = new URL('../../test/fixtures/import/', import.meta.url).pathname;

/** A profile for the test pool with its secret in the keychain, made on the Profiles screen. */
export async function addPoolProfile(page: Page, pool: PoolFixture, name = 'Test pool'): Promise<void> {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput(name));
  await profiles.storeSecret(pool.clientSecret, name);
}

export type ReportRow = Record<string, string>;

export function parseReport(text: string): ReportRow[] {
  // The report starts with a BOM so Excel reads it as UTF-8.
  return parse<ReportRow>(text, { bom: true, columns: true, skip_empty_lines: true });
}

/** Whether each username exists in the pool (checked in small parallel batches). */
export async function existing(pool: PoolFixture, usernames: string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < usernames.length; i += 20) {
    const batch = usernames.slice(i, i + 20);
    const flags = await Promise.all(batch.map((u) => pool.userExists(u)));
    batch.forEach((u, j) => flags[j] && found.push(u));
  }
  return found;
}
