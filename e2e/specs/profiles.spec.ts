/** Managing profiles from the Profiles screen: validation, edit, active profile, secrets, delete. */
import { test, expect } from '../support/fixtures';
import { callApi } from '../support/api';
import { ProfilesPage, SignUpPage } from '../pages';
import { pagePlacesContaining } from './leak-checks';

test('the profile form explains each wrong field next to it and saves nothing', async ({ page }) => {
  const profiles = new ProfilesPage(page);
  await profiles.trySavingProfile({
    name: 'Broken',
    region: 'Ireland',
    userPoolId: 'no-underscore',
    clientId: 'has space',
    endpoint: 'ftp://example.com',
  });
  await profiles.expectFieldError('region', 'A region looks like eu-west-1.');
  await profiles.expectFieldError('userPoolId', 'A user pool id looks like');
  await profiles.expectFieldError('clientId', 'letters and digits only');
  await profiles.expectFieldError('endpoint', 'http(s) URL');
  await profiles.shell.screenshot('profiles-form-invalid');
  expect((await callApi(page, 'profiles', 'list')).profiles).toEqual([]);
});

test('edits a profile, switches the active one, and deletes after confirming', async ({ page, pool }) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('First'));
  await profiles.addProfile({ ...pool.profileInput('Second'), region: 'eu-west-1' });
  await profiles.expectProfile('First', { active: true });
  await profiles.expectProfile('Second', { active: false, details: ['eu-west-1'] });

  await profiles.editProfile('Second', { name: 'Second (renamed)', region: 'us-east-1' });
  await profiles.expectProfile('Second (renamed)', { details: ['us-east-1'] });

  await profiles.makeActive('Second (renamed)');
  await profiles.expectProfile('First', { active: false });
  await profiles.shell.expectActiveProfile('Second (renamed)');
  const signUp = new SignUpPage(page);
  await signUp.open();
  await expect(page.getByTestId('signup-profile').locator('option:checked')).toHaveText(/Second \(renamed\)/);

  await profiles.open();
  await profiles.cancelDeletingProfile('First');
  await profiles.deleteProfile('First');
  await expect(profiles.items).toHaveCount(1);
  const state = await callApi(page, 'profiles', 'list');
  expect(state.profiles.map((p) => p.name)).toEqual(['Second (renamed)']);
});

test('stores, replaces and removes the client secret without ever showing it', async ({ page, pool }) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.expectProfile('Test pool', { hasSecret: false });

  await profiles.storeSecret('first-secret-value-123');
  await profiles.expectProfile('Test pool', { hasSecret: true });
  await expect(profiles.profile('Test pool').getByTestId('secret-save')).toHaveText('Replace secret');
  await profiles.storeSecret(pool.clientSecret, 'Test pool');
  for (const secret of ['first-secret-value-123', pool.clientSecret])
    expect(await pagePlacesContaining(page, secret)).toEqual([]);

  await profiles.removeSecret('Test pool');
  const state = await callApi(page, 'profiles', 'list');
  expect(state.profiles[0]?.hasSecret).toBe(false);
});
