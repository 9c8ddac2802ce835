/** The Log screen over real sign-ups: newest first, filters, details, refresh after a sign-up. */
import { test, expect } from '../support/fixtures';
import { callApi } from '../support/api';
import { LogPage, ProfilesPage, SignUpPage } from '../pages';

const PASSWORD = 'Corr3ct-Horse-Battery!';

test('pages the log newest first, filters it by outcome and text, and shows one entry in full', async ({
  page,
  pool,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(pool.clientSecret);
  const profileId = (await callApi(page, 'profiles', 'list')).activeId ?? '';

  // user-00 is attempted twice → one "exists".
  const usernames = Array.from({ length: 55 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
  for (const username of [...usernames, 'user-00']) {
    await callApi(page, 'signUp', 'submit', {
      profileId,
      input: { username, password: PASSWORD, attributes: [], validationData: [], clientMetadata: [] },
    });
  }

  const log = new LogPage(page);
  await log.open();
  await log.refresh();
  await log.expectAllLoaded(56);
  // Newest first: the repeated user-00 ("exists") on top, then user-54.
  await expect(log.entries.nth(0)).toHaveAttribute('data-outcome', 'exists');
  await expect(log.entries.nth(1).getByTestId('log-entry-username')).toHaveText('user-54');

  await log.showOnlyOutcomes(['exists']);
  await log.expectEntryCount(1);
  await log.expectEntry({ username: 'user-00', outcome: 'exists', summary: 'UsernameExistsException' });

  await log.showOnlyOutcomes([]);
  await log.searchFor('user-4');
  await log.expectAllLoaded(10);
  await log.expectEntryCount(10);
  await log.searchFor('nobody-by-this-name');
  await log.expectNoEntries();
  await log.searchFor('');
  await log.expectAllLoaded(56);

  const detail = await log.openDetails('user-54');
  await expect(detail('outcome')).toHaveText('created');
  await expect(detail('clientId')).toHaveText(pool.clientId);
  await expect(detail('userSub')).toHaveText(/^[0-9a-f-]{36}$/i);
  await log.closeDetails();
});

test('the log shows a new sign-up without being reloaded by hand', async ({ page, pool }) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(pool.clientSecret);
  const log = new LogPage(page);
  await log.open();
  await log.expectNoEntries();

  const signUp = new SignUpPage(page);
  await signUp.signUp({ username: 'lin', password: PASSWORD });
  const userSub = await signUp.expectCreated('lin');
  await log.open();
  await log.expectEntry({ username: 'lin', outcome: 'created', userSub });
});
