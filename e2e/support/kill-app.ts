/**
 * "Kill the app's main process mid-job" for the harness: the services are dropped WITHOUT close()
 * — the engine's rows stay 'sending' and its job 'running' in SQLite, as after a crash — and new
 * services start on the same data folder. The new engine marks such a job 'interrupted' (it is
 * owned by this very process, which runs nothing for it any more: import-engine.ts).
 *
 * A dropped engine lives on in this process, so the kill also freezes it the way a dead process is
 * frozen: its requests already on the wire still reach Cognito but their answers are never
 * delivered, new requests are never sent, and its pushes no longer reach the window.
 *
 *   import { test, expect } from '../support/kill-app';
 *   test('…', async ({ killApp }) => { const page = await killApp(); … });
 *
 * Harness mode only (killing a real Electron app needs its process handle; the spec skips there).
 */
import type { Page, TestType } from '@playwright/test';
import { contract, type Channel } from '@shared/contract';
import { createCognitoClient, type CognitoClientOptions } from '../../src/main/cognito/client';
import type { Handlers } from '../../src/main/ipc/dispatch';
import { createServices, type Services } from '../../src/main/services';
import type { ServicesContext, ServicesFactory } from '../../src/browser-mode/server';
import { test as base } from './fixtures';

export { expect } from './fixtures';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

interface Generation {
  services: Services;
  dead: boolean;
  /** Sends the frozen engine tried (or finished) after the kill, which will never settle. */
  parked: number;
}

export interface KillSwitch {
  /** Give this to harnessOptions.createServices. */
  factory: ServicesFactory;
  /**
   * Freezes the current services and starts new ones on the same data folder. Resolves once the
   * frozen engine has parked `parkedSends` requests (its workers are all stuck, so none of them
   * writes to the database again) or after `timeoutMs`.
   */
  kill(options?: { parkedSends?: number; timeoutMs?: number }): Promise<void>;
}

export function createKillSwitch(): KillSwitch {
  let context: ServicesContext | null = null;
  let current: Generation | null = null;

  const start = (ctx: ServicesContext): Generation => {
    const generation: Generation = { services: undefined as unknown as Services, dead: false, parked: 0 };
    const park = <T>(): Promise<T> => {
      generation.parked++;
      return never<T>();
    };
    const clientFactory = (options: CognitoClientOptions): ReturnType<typeof createCognitoClient> => {
      const client = createCognitoClient(options);
      const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
      // A dead process sends nothing new and hears no answer to what it had sent.
      (client as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = (...args) => {
        if (generation.dead) return park();
        return send(...args).then(
          (value) => (generation.dead ? park() : value),
          (error: unknown) => (generation.dead ? park() : Promise.reject(error as Error)),
        );
      };
      return client;
    };
    generation.services = createServices({
      home: ctx.home,
      secrets: ctx.secrets,
      dialogs: ctx.dialogs,
      push: (event, payload) => {
        if (!generation.dead) ctx.push(event, payload);
      },
      clientFactory,
      nodePath: process.execPath,
    });
    return generation;
  };

  // One handler table for the harness that always calls the live generation.
  const handlers = Object.fromEntries(
    (Object.keys(contract) as Channel[]).map((channel) => [
      channel,
      (request: unknown) => {
        if (current === null) throw new Error('The services are not running.');
        return (current.services.handlers[channel] as (r: unknown) => Promise<unknown>)(request);
      },
    ]),
  ) as unknown as Handlers;

  return {
    factory: (ctx) => {
      context = ctx;
      current = start(ctx);
      return {
        handlers,
        close: async () => {
          await current?.services.close();
        },
      };
    },
    async kill({ parkedSends = 1, timeoutMs = 5000 } = {}) {
      if (context === null || current === null) throw new Error('The services were never started.');
      const frozen = current;
      frozen.dead = true;
      const until = Date.now() + timeoutMs;
      while (frozen.parked < parkedSends && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      current = start(context);
    },
  };
}

export type KillApp = (options?: { parkedSends?: number }) => Promise<Page>;

interface KillFixtures {
  killSwitch: KillSwitch;
  killApp: KillApp;
}
/** The fixtures' test with KillFixtures added (spelled out: fixtures.ts does not export its fixture types). */
type KillTest = typeof base extends TestType<infer T, infer W> ? TestType<T & KillFixtures, W> : never;

export const test: KillTest = base.extend<KillFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  killSwitch: async ({}, use) => {
    await use(createKillSwitch());
  },
  harnessOptions: async ({ killSwitch }, use) => {
    await use({ createServices: killSwitch.factory });
  },
  killApp: async ({ app, killSwitch }, use) => {
    await use(async (options) => {
      if (app.mode !== 'harness') throw new Error('killApp() runs in harness mode only.');
      await killSwitch.kill(options);
      await app.page().reload();
      return app.page();
    });
  },
});
