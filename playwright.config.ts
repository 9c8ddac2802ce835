/**
 * Playwright for the whole app. Each test gets a fresh data folder, a fresh Cognito pool behind the
 * fault-injecting proxy, and the app — the real Electron app where an Electron binary exists, else
 * the real renderer in Chromium over the IPC-swapping harness (e2e/support/fixtures.ts says which
 * ran). Run it inside a private keyring: `scripts/with-keyring.sh npx playwright test`.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Playwright's own browser download fails offline on these machines: use Debian's Chromium
// (README "Test it"); elsewhere fall back to Playwright's (`npx playwright install`).
const chromium = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e/specs',
  testMatch: '*.spec.ts',
  // The `@shared/*` alias lives in tsconfig.node.json (the root tsconfig.json only references it).
  tsconfig: './tsconfig.node.json',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env['CI'],
  retries: 0,
  ...(process.env['CI'] !== undefined && { workers: 2 }),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    // Every test's final screen is kept as an artifact (test-results/<test>/); fixtures.ts's
    // saveScreenshot(name) adds one per screen, named, in Electron mode too.
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(existsSync(chromium) && { executablePath: chromium }),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
