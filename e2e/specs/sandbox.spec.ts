/** "Try it without AWS": the app starts its own local pool and signs users up to it. */
import { test, expect } from '../support/fixtures';
import { LogPage, ProfilesPage, SignUpPage } from '../pages';

test('starts a local sandbox from the empty state, marks its profile, and signs a user up to it', async ({
  page,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.expectEmptyState();
  await profiles.startSandbox();
  const sandbox = profiles.items.first();
  await expect(sandbox.getByTestId('profile-sandbox-badge')).toHaveText('local sandbox');
  await expect(sandbox.getByTestId('profile-active-badge')).toBeVisible();
  await profiles.shell.screenshot('profiles-sandbox');

  const signUp = new SignUpPage(page);
  await signUp.signUp({
    username: 'sandbox-user',
    password: 'Sandbox-Pass-1',
    attributes: { email: 's@example.com' },
  });
  const userSub = await signUp.expectCreated('sandbox-user');

  const log = new LogPage(page);
  await log.open();
  await log.expectEntry({ username: 'sandbox-user', outcome: 'created', userSub });
});
