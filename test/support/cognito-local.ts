/**
 * cognito-local with helpers to make pools and app clients in it, for the unit tiers (the e2e
 * fixtures use test/cognito directly). One launcher underneath: test/cognito/cognito-local.ts.
 *
 *   const local = await startCognitoLocal();
 *   const { userPoolId, clientId, secret } = await local.createClient({ secret: true });
 *   …
 *   await local.stop();
 */
import { startCognitoLocal as launch } from '../cognito/cognito-local';
import {
  createLocalClient,
  createLocalPool,
  LOCAL_REGION,
  type LocalClient,
  type LocalPool,
} from '../../src/main/sandbox/local-pool';

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
  const local = await launch();
  const { endpoint, dir } = local;
  let pools = 0;
  return {
    endpoint,
    region: LOCAL_REGION,
    dir,
    stop: () => local.stop(),
    createPool: (name) => createLocalPool(endpoint, name ?? `test-pool-${++pools}`),
    async createClient({ secret, userPoolId, name }) {
      const poolId = userPoolId ?? (await createLocalPool(endpoint, `test-pool-${++pools}`)).userPoolId;
      return createLocalClient(endpoint, poolId, { secret, ...(name !== undefined && { name }) });
    },
  };
}
