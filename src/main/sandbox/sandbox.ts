/**
 * "Try it without AWS": a local user pool the app runs itself (cognito-local), with an app client
 * that has a secret — so a first-time user can see the whole flow, SecretHash included, with no
 * AWS account. The pool lives in `<home>/sandbox/.cognito` and is re-used on every later start.
 * The profile points at the strict endpoint (strict-endpoint/server.ts) in front of cognito-local,
 * which refuses what Cognito refuses (wrong SecretHash, weak password, unknown attribute…);
 * cognito-local alone would accept them. Admin calls (pool and client set-up) go to cognito-local.
 *
 * Note: cognito-local is an emulator; it keeps its own users (with their passwords) and the
 * sandbox client's secret in plain JSON under that folder. Only sandbox data is there.
 */
import { join } from 'node:path';
import type { Profile, SandboxStatus } from '@shared/contract';
import type { ProfileStore } from '../profiles/profile-store';
import { launchCognitoLocal, type CognitoLocalProcess } from './cognito-local-launcher';
import type { ProcessStarter } from './process-starter';
import {
  createLocalClient,
  createLocalPool,
  findLocalClient,
  LOCAL_REGION,
  SANDBOX_POOL_SETTINGS,
} from './local-pool';
import { readConfirmationCode } from './strict-endpoint/confirmation-codes';
import { startStrictEndpoint, type StrictEndpoint } from './strict-endpoint/server';

export const SANDBOX_POOL_NAME = 'SignUp Desk sandbox';
export const SANDBOX_CLIENT_NAME = 'signup-desk';
export const SANDBOX_PROFILE_NAME = 'Sandbox (local, no AWS)';

export interface SandboxOptions {
  home: string;
  profiles: ProfileStore;
  /** cognito-local's lib/bin/start.js; defaults to the installed package's. */
  cognitoLocalEntry?: string;
  /** How to start it (in Electron: a utilityProcess); else child_process with `nodePath`. */
  startProcess?: ProcessStarter;
  /** The Node binary for the default child_process starter. */
  nodePath?: string;
}

export interface Sandbox {
  status(): Promise<SandboxStatus>;
  /** Starts the local pool (or finds it running) and returns its profile, with the secret stored. */
  start(): Promise<Profile>;
  stop(): Promise<void>;
  /**
   * The confirmation code cognito-local generated for a sandbox user (no mail is sent), or null.
   * Also over HTTP from the endpoint: GET <endpoint>/__sandbox/codes/<poolId>/<username>.
   */
  confirmationCode(username: string): Promise<string | null>;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { profiles } = options;
  const cwd = join(options.home, 'sandbox');
  let running: CognitoLocalProcess | null = null;
  let strict: StrictEndpoint | null = null;
  let poolId: string | undefined;
  let starting: Promise<Profile> | null = null;
  let profileId: string | undefined;

  async function sandboxProfile(): Promise<Profile | undefined> {
    const { profiles: all } = await profiles.list();
    return all.find((p) => p.sandbox);
  }

  async function launch(): Promise<Profile> {
    if (running === null || !running.running()) {
      await strict?.stop();
      strict = null;
      running = await launchCognitoLocal({
        cwd,
        ...(options.cognitoLocalEntry !== undefined && { entry: options.cognitoLocalEntry }),
        ...(options.startProcess !== undefined && { start: options.startProcess }),
        ...(options.nodePath !== undefined && { nodePath: options.nodePath }),
      });
    }
    const local = running.endpoint;
    const app =
      (await findLocalClient(local, SANDBOX_POOL_NAME, SANDBOX_CLIENT_NAME)) ??
      (await createLocalClient(
        local,
        (await createLocalPool(local, SANDBOX_POOL_NAME, SANDBOX_POOL_SETTINGS)).userPoolId,
        { name: SANDBOX_CLIENT_NAME, secret: true },
      ));
    poolId = app.userPoolId;
    strict ??= await startStrictEndpoint({ upstream: local, dataDir: cwd });
    const { endpoint } = strict;

    const existing = await sandboxProfile();
    const settings = {
      region: LOCAL_REGION,
      userPoolId: app.userPoolId,
      clientId: app.clientId,
      // The port is chosen afresh on every start.
      endpoint,
    };
    let profile = existing
      ? await profiles.save({ id: existing.id, name: existing.name, ...settings })
      : await profiles.save({ name: await freeName(), ...settings });
    if (!profile.sandbox) profile = await profiles.markSandbox(profile.id);
    if (app.secret !== null) profile = await profiles.setSecret(profile.id, app.secret);
    profileId = profile.id;
    return profile;
  }

  /** The sandbox's name, or that name with a number if the user already has a profile called so. */
  async function freeName(): Promise<string> {
    const taken = new Set((await profiles.list()).profiles.map((p) => p.name.toLowerCase()));
    for (let n = 1; ; n++) {
      const name = n === 1 ? SANDBOX_PROFILE_NAME : `${SANDBOX_PROFILE_NAME} ${n}`;
      if (!taken.has(name.toLowerCase())) return name;
    }
  }

  return {
    async status() {
      const alive = running !== null && running.running() && strict !== null;
      const id = profileId ?? (await sandboxProfile())?.id;
      return {
        running: alive,
        ...(alive && strict !== null && { endpoint: strict.endpoint }),
        ...(id !== undefined && { profileId: id }),
      };
    },
    start() {
      starting ??= launch().finally(() => {
        starting = null;
      });
      return starting;
    },
    async stop() {
      await starting?.catch(() => undefined);
      const child = running;
      const front = strict;
      running = null;
      strict = null;
      await front?.stop();
      await child?.stop();
    },
    async confirmationCode(username) {
      if (poolId === undefined) return null;
      return (await readConfirmationCode(cwd, poolId, username))?.code ?? null;
    },
  };
}
