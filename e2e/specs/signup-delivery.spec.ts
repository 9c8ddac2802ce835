/**
 * Where the confirmation code went: a pool that verifies email answers with CodeDeliveryDetails,
 * which the result panel and the log show as Cognito masks them (the proxy masks like Cognito).
 */
import { test, expect } from '../support/fixtures';
import { LogPage, ProfilesPage, SignUpPage } from '../pages';

test.use({ poolOptions: { autoVerifiedAttributes: ['email'] } });

test('shows where the confirmation code was sent, masked, in the result and in the log', async ({
  page,
  pool,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Verifying pool'));
  await profiles.storeSecret(pool.clientSecret, 'Verifying pool');

  const signUp = new SignUpPage(page);
  await signUp.signUp({
    username: 'grace',
    password: 'Fl0w-Matic-1959!',
    attributes: { email: 'grace@navy.example' },
  });
  await signUp.expectCreated('grace');
  await expect(page.getByTestId('result-user-confirmed')).toContainText(/no/i);
  await expect(page.getByTestId('result-delivery')).toHaveText('g***@n*** by EMAIL (email)');
  await signUp.shell.screenshot('sign-up-code-sent');

  const log = new LogPage(page);
  await log.open();
  const detail = await log.openDetails('grace');
  await expect(detail('deliveryMedium')).toHaveText('EMAIL');
  await expect(detail('destination')).toHaveText('g***@n***');
  await expect(detail('attributeName')).toHaveText('email');
  // The unmasked address never reaches the screen: only Cognito's masked form is stored and shown.
  await expect(page.locator('body')).not.toContainText('grace@navy.example');
});
