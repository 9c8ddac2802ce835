/**
 * The form flow end to end: a profile for a real (local) pool behind the SecretHash-checking proxy,
 * the secret in the real keychain, SignUp through main, the durable log — driven only through the UI.
 */
import { test, expect } from '../support/fixtures';
import { LogPage, ProfilesPage, SignUpPage } from '../pages';
import { fileCount, filesContaining, pagePlacesContaining } from './leak-checks';

const PASSWORD = 'Corr3ct-Horse-Battery!';

test('signs a user up from the form: created in the pool, logged, still logged after a restart, no secret left behind', async ({
  page,
  pool,
  home,
  restartApp,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.expectEmptyState();
  await profiles.shell.screenshot('profiles-empty');

  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.expectProfile('Test pool', {
    active: true,
    sandbox: false,
    hasSecret: false,
    details: [pool.poolId, pool.clientId, pool.endpoint],
  });
  await profiles.storeSecret(pool.clientSecret, 'Test pool');
  await profiles.expectProfile('Test pool', { hasSecret: true });
  expect(await pagePlacesContaining(page, pool.clientSecret)).toEqual([]);
  await profiles.shell.screenshot('profiles');

  const signUp = new SignUpPage(page);
  await signUp.signUp({
    username: 'ada',
    password: PASSWORD,
    attributes: {
      email: 'ada@example.com',
      given_name: 'Ada',
      family_name: 'Lovelace',
      zoneinfo: 'Europe/London',
    },
  });
  const userSub = await signUp.expectCreated('ada');
  await expect(signUp.page.getByTestId('result-user-confirmed')).toBeVisible();
  await signUp.expectPasswordCleared();
  await signUp.shell.screenshot('sign-up-created');
  expect(await pool.userExists('ada')).toBe(true);
  const user = await pool.getUser('ada');
  expect(user?.attributes['email']).toBe('ada@example.com');
  expect(user?.attributes['zoneinfo']).toBe('Europe/London');
  expect(pool.proxy.stats().byUsername['ada']).toBe(1);

  const log = new LogPage(page);
  await log.open();
  await log.expectEntry({
    username: 'ada',
    outcome: 'created',
    userSub,
    profile: 'Test pool',
    source: 'form',
  });
  await log.shell.screenshot('log');
  const detail = await log.openDetails('ada');
  await expect(detail('userSub')).toHaveText(userSub);
  await expect(detail('userPoolId')).toHaveText(pool.poolId);
  await log.shell.screenshot('log-details');
  await log.closeDetails();

  for (const needle of [pool.clientSecret, PASSWORD])
    expect(await pagePlacesContaining(page, needle), 'the page holds a secret or password').toEqual([]);

  const afterRestart = await restartApp();
  const logAgain = new LogPage(afterRestart);
  await logAgain.open();
  await logAgain.expectEntry({ username: 'ada', outcome: 'created', userSub });
  const profilesAgain = new ProfilesPage(afterRestart);
  await profilesAgain.open();
  await profilesAgain.expectProfile('Test pool', { active: true, hasSecret: true });

  expect(await fileCount(home)).toBeGreaterThan(0);
  expect(await filesContaining(home, pool.clientSecret), 'files holding the client secret').toEqual([]);
  expect(await filesContaining(home, PASSWORD), 'files holding the password').toEqual([]);
});

test('a username that already exists is reported as UsernameExistsException, never as a success', async ({
  page,
  pool,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(pool.clientSecret);

  const signUp = new SignUpPage(page);
  await signUp.signUp({ username: 'grace', password: PASSWORD });
  await signUp.expectCreated('grace');
  await signUp.signUp({ username: 'grace', password: PASSWORD });
  await signUp.expectResult('exists', { errorName: 'UsernameExistsException', hint: /already exists/ });
  await signUp.expectPasswordCleared();
  await signUp.shell.screenshot('sign-up-exists');

  const log = new LogPage(page);
  await log.open();
  await log.expectEntryCount(2);
  await log.expectEntry({ username: 'grace', outcome: 'exists', summary: 'UsernameExistsException' });
});

test('a wrong client secret fails with NotAuthorizedException and says to check the profile secret', async ({
  page,
  pool,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(`${pool.clientSecret}-wrong`);

  const signUp = new SignUpPage(page);
  await signUp.signUp({ username: 'mallory', password: PASSWORD });
  // A wrong secret is a configuration problem, not a bad row: recorded as "error" (docs/cognito.md#errors).
  await signUp.expectResult('error', {
    errorName: 'NotAuthorizedException',
    hint: /check this profile's client secret/,
  });
  await signUp.shell.screenshot('sign-up-wrong-secret');
  expect(await pool.userExists('mallory')).toBe(false);
  expect(pool.proxy.stats().byUsername['mallory']).toBe(1);

  const log = new LogPage(page);
  await log.open();
  await log.expectEntry({ username: 'mallory', outcome: 'error', summary: 'NotAuthorizedException' });
});

test('invalid input shows a message next to each field and sends nothing', async ({ page, pool }) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(pool.clientSecret);

  const signUp = new SignUpPage(page);
  await signUp.open();
  await signUp.expectNoFieldErrors();
  await signUp.fill({
    username: 'has space',
    password: PASSWORD,
    attributes: { email: 'not-an-email', phone_number: '441234567890', birthdate: '1815/12/10' },
    ipAddress: '999.1.1.1',
  });
  await signUp.pressSignUp();
  await signUp.expectFieldError('username', 'cannot contain spaces');
  await signUp.expectFieldError('attr-email', 'is not an email address');
  await signUp.expectFieldError('attr-phone_number', 'missing the leading "+"');
  await signUp.expectFieldError('attr-birthdate', 'YYYY-MM-DD');
  await signUp.expectFieldError('ip-address', 'not an IPv4 or IPv6 address');
  await expect(signUp.result).toHaveCount(0);
  await signUp.shell.screenshot('sign-up-invalid');

  // Fixing a field takes its message away as the person types.
  await signUp.page.getByTestId('signup-username').fill('valid-name');
  await expect(signUp.fieldError('username')).toHaveCount(0);

  expect(pool.proxy.stats().signUpCalls).toBe(0);
  const log = new LogPage(page);
  await log.open();
  await log.expectNoEntries();
});

test('custom attributes, ValidationData and ClientMetadata are sent with the sign-up', async ({
  page,
  pool,
}) => {
  const profiles = new ProfilesPage(page);
  await profiles.addProfile(pool.profileInput('Test pool'));
  await profiles.storeSecret(pool.clientSecret);

  const signUp = new SignUpPage(page);
  await signUp.signUp({
    username: 'hopper',
    password: PASSWORD,
    attributes: { email: 'grace@example.com' },
    custom: { tenant: 'navy' },
    validationData: { invite: 'abc' },
    clientMetadata: { source: 'desk' },
  });
  await signUp.expectCreated('hopper');
  const user = await pool.getUser('hopper');
  expect(user?.attributes['email']).toBe('grace@example.com');
  expect(user?.attributes['custom:tenant']).toBe('navy');
});
