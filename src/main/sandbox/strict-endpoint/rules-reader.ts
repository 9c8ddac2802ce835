/**
 * Reads the rules of app clients and pools from cognito-local (DescribeUserPoolClient,
 * DescribeUserPool) and caches them: a SignUp names only its ClientId, so the client is found by
 * listing the pools. Misses are not cached (the client may be created a moment later); `forget`
 * drops everything after a call that changes a pool or a client.
 */
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../../cognito/client';
import { LOCAL_REGION } from '../local-pool';
import { clientRulesFrom, poolRulesFrom, type ClientRules, type PoolRules } from './pool-rules';

export interface RulesSource {
  client(clientId: string): Promise<ClientRules | null>;
  pool(poolId: string): Promise<PoolRules | null>;
  /** Rules given instead of looked up (kept by `forget`). */
  registerClient(rules: ClientRules): void;
  forget(): void;
}

type Sdk = ReturnType<typeof createCognitoClient>;

async function findClient(sdk: Sdk, clientId: string): Promise<ClientRules | null> {
  let poolToken: string | undefined;
  do {
    const pools = await sdk.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: poolToken }));
    for (const pool of pools.UserPools ?? []) {
      if (pool.Id === undefined) continue;
      let clientToken: string | undefined;
      do {
        const page = await sdk.send(
          new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 60, NextToken: clientToken }),
        );
        if ((page.UserPoolClients ?? []).some((c) => c.ClientId === clientId)) {
          const described = await sdk.send(
            new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: clientId }),
          );
          return described.UserPoolClient === undefined ? null : clientRulesFrom(described.UserPoolClient);
        }
        clientToken = page.NextToken;
      } while (clientToken !== undefined);
    }
    poolToken = pools.NextToken;
  } while (poolToken !== undefined);
  return null;
}

async function describePool(sdk: Sdk, poolId: string): Promise<PoolRules | null> {
  try {
    const out = await sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    return out.UserPool === undefined ? null : poolRulesFrom(out.UserPool);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

/** Caches a lookup per key; a miss or a failure is looked up again next time. */
function cached<T>(lookup: (key: string) => Promise<T | null>): {
  get(key: string): Promise<T | null>;
  clear(): void;
} {
  const entries = new Map<string, Promise<T | null>>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const pending = lookup(key).then(
        (value) => {
          if (value === null) entries.delete(key);
          return value;
        },
        (error: unknown) => {
          entries.delete(key);
          throw error;
        },
      );
      entries.set(key, pending);
      return pending;
    },
    clear: () => entries.clear(),
  };
}

export function createRulesReader(upstream: string): RulesSource & { close(): void } {
  const sdk = createCognitoClient({ region: LOCAL_REGION, endpoint: upstream, maxAttempts: 1 });
  const registered = new Map<string, ClientRules>();
  const clients = cached((id) => findClient(sdk, id));
  const pools = cached((id) => describePool(sdk, id));
  return {
    client: (clientId) => {
      const known = registered.get(clientId);
      return known !== undefined ? Promise.resolve(known) : clients.get(clientId);
    },
    pool: (poolId) => pools.get(poolId),
    registerClient: (rules) => {
      registered.set(rules.clientId, { ...rules });
    },
    forget: () => {
      clients.clear();
      pools.clear();
    },
    close: () => sdk.destroy(),
  };
}
