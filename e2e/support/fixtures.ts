/**
 * Playwright fixtures for SignUp Desk's end-to-end specs. Import `test` and `expect` from here
 * instead of '@playwright/test':
 *
 *   import { test, expect } from '../support/fixtures';
 *   test('creates a user', async ({ page, pool, app }) => { … });
 *
 * Per test (fresh each time, torn down after):
 *   home        string      a fresh, empty data folder (the app's SIGNUP_DESK_HOME).
 *   pool        PoolFixture a fresh Cognito user pool + app client WITH a secret in cognito-local
 *                           (one cognito-local per worker), reached through the fault-injecting
 *                           proxy (test/cognito/cognito-proxy.ts):
 *     pool.endpoint        the proxy's URL — put it in the profile's endpoint field
 *     pool.region          'us-east-1';  pool.poolId, pool.clientId, pool.clientSecret
 *     pool.profileInput(name?)  {name, region, userPoolId, clientId, endpoint} for a profile form/API
 *     pool.userExists(username) / pool.getUser(username)  read cognito-local directly (not counted)
 *     pool.proxy           { endpoint, control: { set(faults), clear(), faults(), registerClient(),
 *                           resetStats() }, stats() } — inject throttling/5xx/resets/latency/
 *                           LimitExceeded, count SignUp calls per username
 *     pool.createClient({ generateSecret? })  another pool + client, known to the proxy
 *   app         AppFixture  the running app on `home`:
 *     app.mode             'electron' | 'harness'
 *     app.restart()        stop and start the app's main-process services on the same data folder
 *                          and reload; resolves to the page to use afterwards (the same page in
 *                          harness mode, the new first window in Electron mode)
 *     app.harness          the browser-mode server (url, link(), push(event, payload)…) or null in Electron mode
 *     app.page()           the current window (a new one after restart() in Electron mode)
 *     app.dialogs          setOpenResult(path|null) / setSaveResult(path|null): what the "Open CSV"
 *                          and "Save" dialogs answer from now on (default: cancelled). Harness: the
 *                          services' dialog port; Electron: main's dialog.show*Dialog stubbed.
 *     (harness mode: app.harness.dialogs.requests() lists what the app asked)
 *   page        Page        the app's window, already loaded (window.api is ready)
 *   restartApp  () => Promise<Page>   same as app.restart()
 *   saveScreenshot (name) => Promise<string>  saves <outputDir>/<name>.png and attaches it to the report
 *
 * Options (test.use({...})):
 *   poolOptions  CreatePoolOptions  e.g. { autoVerifiedAttributes: ['email'] } to get
 *                CodeDeliveryDetails (cognito-local then REJECTS sign-ups without an email attribute)
 *   proxyFaults  FaultOptions       faults active from the start (else set them with pool.proxy.control)
 *   harnessOptions                  harness mode only: e.g. { secrets } or { createServices } (a
 *                                   factory receiving { home, secrets, push }) to wrap the services
 *
 * Modes: where an Electron binary exists (the path `require('electron')` gives exists) the app is
 * the real one, `_electron.launch` of out/main/index.js; otherwise the built renderer (out/renderer)
 * runs in Chromium over browser mode (src/browser-mode/) with the real services and the real
 * keychain. SIGNUP_DESK_E2E_MODE=harness|electron forces one. Each worker prints which mode ran and
 * each test carries an `app-mode` annotation. Run under scripts/with-keyring.sh (real keychain).
 * Both modes need `npx electron-vite build` first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { startCognitoLocal, type CognitoLocal } from '../../test/cognito/cognito-local';
import { startCognitoProxy, type CognitoProxy, type FaultOptions } from '../../test/cognito/cognito-proxy';
import {
  TEST_REGION,
  createPoolWithClient,
  getUser,
  type CreatePoolOptions,
  type TestPool,
  type UserInfo,
} from '../../test/cognito/pool-admin';
import {
  startBrowserMode,
  type BrowserModeOptions,
  type BrowserModeServer,
} from '../../src/browser-mode/server';
import { createScriptedDialogs, type ScriptedDialogs } from '../../test/support/scripted-dialogs';

/** Browser mode's server as the harness-mode fixtures run it: with dialogs the test answers. */
export type Harness = BrowserModeServer<ScriptedDialogs>;
type HarnessOptions = BrowserModeOptions<ScriptedDialogs>;
import { STANDARD_ATTRIBUTES } from '../../src/main/sandbox/strict-endpoint/pool-rules';

export { expect };

export type AppMode = 'electron' | 'harness';

export interface PoolFixture {
  /** The proxy's URL: the endpoint a profile should use. */
  endpoint: string;
  /** cognito-local itself (bypasses the proxy's checks, faults and counts). */
  upstream: string;
  region: string;
  poolId: string;
  clientId: string;
  clientSecret: string;
  proxy: CognitoProxy;
  /** A profile for this pool, as profiles.save takes it. */
  profileInput(name?: string): {
    name: string;
    region: string;
    userPoolId: string;
    clientId: string;
    endpoint: string;
  };
  userExists(username: string): Promise<boolean>;
  getUser(username: string): Promise<UserInfo | null>;
  /** Another pool + app client in the same cognito-local, registered with the proxy. */
  createClient(options?: CreatePoolOptions): Promise<TestPool>;
}

/** What the app's file dialogs answer, in either mode (null = the user cancels; the default). */
export interface AppDialogs {
  setOpenResult(path: string | null): Promise<void>;
  setSaveResult(path: string | null): Promise<void>;
}

export interface AppFixture {
  mode: AppMode;
  dialogs: AppDialogs;
  home: string;
  /** The harness in harness mode, null in Electron mode. */
  harness: Harness | null;
  /** The app's current window (changes after restart() in Electron mode). */
  page(): Page;
  /** Restarts the app on the same data folder; use the returned page afterwards. */
  restart(): Promise<Page>;
}

interface TestFixtures {
  poolOptions: CreatePoolOptions;
  proxyFaults: FaultOptions;
  harnessOptions: Partial<Omit<HarnessOptions, 'home' | 'dialogs'>>;
  home: string;
  pool: PoolFixture;
  app: AppFixture;
  restartApp: () => Promise<Page>;
  saveScreenshot: (name: string) => Promise<string>;
}

interface WorkerFixtures {
  appMode: { mode: AppMode; electronPath: string | null };
  cognitoLocal: CognitoLocal;
}

/** Custom attributes the specs send (signup-flow: tenant; import: Department). */
const TEST_CUSTOM_ATTRIBUTES = ['tenant', 'Department'];
const TEST_WRITE_ATTRIBUTES = [
  ...STANDARD_ATTRIBUTES,
  ...TEST_CUSTOM_ATTRIBUTES.map((name) => `custom:${name}`),
];

const require = createRequire(import.meta.url);
const MAIN_ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url));

/**
 * The Electron binary's path when one is installed, else null. Mirrors what `require('electron')`
 * resolves (node_modules/electron/index.js: path.txt under dist/, or ELECTRON_OVERRIDE_DIST_PATH)
 * without requiring it: since Electron 36 that require tries to DOWNLOAD a missing binary, which
 * hangs or fails offline.
 */
function findElectron(): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate =
    override !== undefined && override !== ''
      ? join(override, executable || 'electron')
      : executable !== ''
        ? join(packageDir, 'dist', executable)
        : null;
  return candidate !== null && existsSync(candidate) ? candidate : null;
}

function chooseMode(): { mode: AppMode; electronPath: string | null } {
  const forced = process.env['SIGNUP_DESK_E2E_MODE'];
  const electronPath = forced === 'harness' ? null : findElectron();
  if (forced === 'electron' && electronPath === null) {
    throw new Error('SIGNUP_DESK_E2E_MODE=electron but no Electron binary is installed.');
  }
  return { mode: electronPath === null ? 'harness' : 'electron', electronPath };
}

function describeMode(mode: AppMode): string {
  return mode === 'electron'
    ? 'electron: the real app via Playwright _electron.launch(out/main/index.js)'
    : 'harness: no Electron binary — the built renderer in Chromium, real main-process services over the loopback WebSocket harness';
}

async function launchElectron(
  electronPath: string,
  home: string,
): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await _electron.launch({
    executablePath: electronPath,
    args: [MAIN_ENTRY],
    env: { ...(process.env as Record<string, string>), SIGNUP_DESK_HOME: home },
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page };
}

/**
 * Replaces main's native dialogs in a running Electron app with fixed answers (Playwright runs
 * this function inside the main process: https://playwright.dev/docs/api/class-electronapplication#electron-application-evaluate).
 */
async function stubElectronDialogs(
  app: ElectronApplication,
  answers: { open: string | null; save: string | null },
): Promise<void> {
  await app.evaluate(({ dialog }, { open, save }) => {
    const target = dialog as unknown as Record<string, unknown>;
    target['showOpenDialog'] = () =>
      Promise.resolve({ canceled: open === null, filePaths: open === null ? [] : [open] });
    target['showSaveDialog'] = () =>
      Promise.resolve({ canceled: save === null, ...(save !== null && { filePath: save }) });
  }, answers);
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  appMode: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const chosen = chooseMode();
      console.log(`[e2e] app mode — ${describeMode(chosen.mode)}`);
      await use(chosen);
    },
    { scope: 'worker' },
  ],

  cognitoLocal: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const local = await startCognitoLocal();
      await use(local);
      await local.stop();
    },
    { scope: 'worker' },
  ],

  poolOptions: [{}, { option: true }],
  proxyFaults: [{}, { option: true }],
  harnessOptions: [{}, { option: true }],

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  home: async ({}, use) => {
    const home = await mkdtemp(join(tmpdir(), 'signup-desk-e2e-home-'));
    await use(home);
    await rm(home, { recursive: true, force: true });
  },

  pool: async ({ cognitoLocal, poolOptions, proxyFaults }, use) => {
    const upstream = cognitoLocal.endpoint;
    // The proxy holds sign-ups to the pool's schema: the custom attributes the specs send exist
    // in it and the app client may write them.
    const created = await createPoolWithClient(upstream, {
      generateSecret: true,
      customAttributes: TEST_CUSTOM_ATTRIBUTES,
      writeAttributes: TEST_WRITE_ATTRIBUTES,
      ...poolOptions,
    });
    if (created.clientSecret === null) throw new Error('The test pool needs a secret-bearing client.');
    const proxy = await startCognitoProxy({
      upstream,
      faults: proxyFaults,
      clients: {
        [created.clientId]: {
          poolId: created.poolId,
          secret: created.clientSecret,
          writeAttributes: TEST_WRITE_ATTRIBUTES,
        },
      },
    });
    const fixture: PoolFixture = {
      endpoint: proxy.endpoint,
      upstream,
      region: TEST_REGION,
      poolId: created.poolId,
      clientId: created.clientId,
      clientSecret: created.clientSecret,
      proxy,
      profileInput: (name = 'Test pool') => ({
        name,
        region: TEST_REGION,
        userPoolId: created.poolId,
        clientId: created.clientId,
        endpoint: proxy.endpoint,
      }),
      userExists: async (username) => (await getUser(upstream, created.poolId, username)) !== null,
      getUser: (username) => getUser(upstream, created.poolId, username),
      createClient: async (options = {}) => {
        const another = await createPoolWithClient(upstream, options);
        proxy.control.registerClient(another.clientId, {
          poolId: another.poolId,
          secret: another.clientSecret,
        });
        return another;
      },
    };
    await use(fixture);
    await proxy.stop();
  },

  app: async ({ appMode, home, context, harnessOptions }, use, testInfo) => {
    testInfo.annotations.push({ type: 'app-mode', description: describeMode(appMode.mode) });
    if (appMode.mode === 'electron' && appMode.electronPath !== null) {
      const electronPath = appMode.electronPath;
      let running = await launchElectron(electronPath, home);
      const answers: { open: string | null; save: string | null } = { open: null, save: null };
      const stubDialogs = (): Promise<void> => stubElectronDialogs(running.app, answers);
      await use({
        mode: 'electron',
        home,
        harness: null,
        dialogs: {
          setOpenResult: async (path) => {
            answers.open = path;
            await stubDialogs();
          },
          setSaveResult: async (path) => {
            answers.save = path;
            await stubDialogs();
          },
        },
        page: () => running.page,
        restart: async () => {
          await running.app.close();
          running = await launchElectron(electronPath, home);
          await stubDialogs();
          return running.page;
        },
      });
      await running.app.close();
      return;
    }
    const scripted = createScriptedDialogs();
    const harness = await startBrowserMode({ ...harnessOptions, home, dialogs: () => scripted });
    const page = await context.newPage();
    // As a person does: the one-time link; the page keeps its session across reloads.
    await page.goto(harness.link());
    await use({
      mode: 'harness',
      home,
      harness,
      dialogs: {
        setOpenResult: (path) => Promise.resolve(harness.dialogs.setOpenResult(path)),
        setSaveResult: (path) => Promise.resolve(harness.dialogs.setSaveResult(path)),
      },
      page: () => page,
      restart: async () => {
        await harness.restartServices();
        await page.reload();
        return page;
      },
    });
    await harness.stop();
  },

  page: async ({ app }, use) => {
    await use(app.page());
  },

  restartApp: async ({ app }, use) => {
    await use(() => app.restart());
  },

  saveScreenshot: async ({ app }, use, testInfo) => {
    await use(async (name) => {
      const path = testInfo.outputPath(`${name.replace(/[^\w.-]+/g, '-')}.png`);
      await app.page().screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
      return path;
    });
  },
});
