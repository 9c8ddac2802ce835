/**
 * The transport end to end: the real renderer's window.api reaches the real main-process services
 * (Electron IPC where a binary exists, else the harness's WebSocket) and errors come back as the
 * renderer's ApiError. Flows through the UI are in the other specs (page objects in e2e/pages/).
 */
import { apiError, callApi } from '../support/api';
import { expect, test } from '../support/fixtures';

test('window.api answers from the real services on a fresh data folder', async ({ page, saveScreenshot }) => {
  expect(await callApi(page, 'profiles', 'list')).toEqual({ profiles: [], activeId: null });
  await saveScreenshot('fresh-start');
});

test('a malformed request comes back as an InvalidRequest ApiError naming the field', async ({ page }) => {
  const error = await apiError(page, 'profiles', 'setActive', { id: 42 });
  expect(error.name).toBe('InvalidRequest');
  expect(error.fields).toHaveProperty('id');
  expect(error.message).toContain('profiles:setActive');
});

test('a saved profile and its keychain secret survive an app restart; the secret never comes back', async ({
  page,
  pool,
  restartApp,
}) => {
  const saved = await callApi(page, 'profiles', 'save', pool.profileInput('Smoke pool'));
  const withSecret = await callApi(page, 'profiles', 'setSecret', {
    id: saved.id,
    secret: pool.clientSecret,
  });
  expect(withSecret.hasSecret).toBe(true);

  const after = await restartApp();
  const state = await callApi(after, 'profiles', 'list');
  expect(state.profiles.map((profile) => [profile.name, profile.hasSecret])).toEqual([['Smoke pool', true]]);
  expect(JSON.stringify(state)).not.toContain(pool.clientSecret);
});

test('a sign-up reaches Cognito exactly once, with the SecretHash the proxy checks', async ({
  page,
  pool,
}) => {
  const profile = await callApi(page, 'profiles', 'save', pool.profileInput());
  await callApi(page, 'profiles', 'setSecret', { id: profile.id, secret: pool.clientSecret });
  const result = await callApi(page, 'signUp', 'submit', {
    profileId: profile.id,
    input: {
      username: 'smoke-user',
      password: 'Correct-Horse-9',
      attributes: [{ name: 'email', value: 'smoke@example.com' }],
      validationData: [],
      clientMetadata: [],
    },
  });
  expect(result.outcome).toBe('created');
  expect(await pool.userExists('smoke-user')).toBe(true);
  expect(pool.proxy.stats().byUsername).toEqual({ 'smoke-user': 1 });
});

test('main → renderer pushes reach api.events listeners (harness transport)', async ({ page, app }) => {
  test.skip(
    app.harness === null,
    'Electron mode: pushes travel over ipcRenderer, covered by the import specs',
  );
  await page.evaluate(() => {
    const api = (
      globalThis as unknown as { api: { events: { onImportProgress(l: (p: unknown) => void): void } } }
    ).api;
    const seen: unknown[] = [];
    (globalThis as unknown as { seenPushes: unknown[] }).seenPushes = seen;
    api.events.onImportProgress((payload) => seen.push(payload));
  });
  app.harness?.push('import:progress', { jobId: 'job-1', progress: { sent: 3 } });
  app.harness?.push('import:row', { jobId: 'job-1' });
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { seenPushes: unknown[] }).seenPushes))
    .toEqual([{ jobId: 'job-1', progress: { sent: 3 } }]);
});

test('a file handed over by the page comes back as a handle main reads; a path is refused', async ({
  page,
  app,
}) => {
  test.skip(app.harness === null, 'Electron mode: webUtils gives the real path of a file from disk');
  const inspection = await page.evaluate(async () => {
    type Api = {
      files: { fromDrop(file: File): Promise<{ handle: string; name: string }> };
      import: { inspect(request: { handle: string }): Promise<{ fileName: string; headers: string[] }> };
    };
    const api = (globalThis as unknown as { api: Api }).api;
    const dropped = await api.files.fromDrop(
      new File(['username,email\nann,ann@example.com\n'], 'users.csv'),
    );
    return { dropped, inspection: await api.import.inspect({ handle: dropped.handle }) };
  });
  expect(inspection.dropped.name).toBe('users.csv');
  expect(JSON.stringify(inspection.dropped)).not.toContain('/');
  expect(inspection.inspection.headers).toEqual(['username', 'email']);

  const error = await apiError(page, 'import', 'inspect', { path: '/etc/passwd' });
  expect(error.name).toBe('InvalidRequest');
  expect(error.fields).toHaveProperty('handle');
});
