/**
 * Test helper: a fresh cognito-local in a temporary folder on a free port, with helpers to make
 * pools and app clients in it. Same launcher as the app's sandbox (src/main/sandbox).
 *
 *   const local = await startCognitoLocal();
 *   const { userPoolId, clientId, secret } = await local.createClient({ secret: true });
 *   …
 *   await local.stop();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchCognitoLocal } from '../sandbox/cognito-local-launcher';
import {
  createLocalClient,
  createLocalPool,
  LOCAL_REGION,
  type LocalClient,
  type LocalPool,
} from '../sandbox/local-pool';

export interface CognitoLocalHandle {
  endpoint: string;
  region: string;
  /** The temporary folder it runs in (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
  createPool(name?: string): Promise<LocalPool>;
  /** Creates an app client; without a userPoolId, in a new pool. */
  createClient(options: { secret: boolean; userPoolId?: string; name?: string }): Promise<LocalClient>;
}

export async function startCognitoLocal(): Promise<CognitoLocalHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  let running;
  try {
    running = await launchCognitoLocal({ cwd: dir });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { endpoint } = running;
  let pools = 0;
  return {
    endpoint,
    region: LOCAL_REGION,
    dir,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    createPool: (name) => createLocalPool(endpoint, name ?? `test-pool-${++pools}`),
    async createClient({ secret, userPoolId, name }) {
      const poolId = userPoolId ?? (await createLocalPool(endpoint, `test-pool-${++pools}`)).userPoolId;
      return createLocalClient(endpoint, poolId, { secret, ...(name !== undefined && { name }) });
    },
  };
}
