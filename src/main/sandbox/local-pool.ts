/**
 * Admin calls against a local Cognito emulator (cognito-local): create a user pool and an app
 * client. They are signed with the anonymous credential of createCognitoClient, which
 * cognito-local accepts; they are never pointed at real AWS.
 */
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  type CreateUserPoolCommandInput,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../cognito/client';

/** cognito-local accepts any region; a real-looking one keeps the profile form's checks happy. */
export const LOCAL_REGION = 'us-east-1';

export interface LocalPool {
  userPoolId: string;
}

export interface LocalClient {
  userPoolId: string;
  clientId: string;
  /** null when the client was created without a secret. */
  secret: string | null;
}

function adminClient(endpoint: string): ReturnType<typeof createCognitoClient> {
  return createCognitoClient({ region: LOCAL_REGION, endpoint, maxAttempts: 1 });
}

/** What a pool may be created with besides its name. */
export type LocalPoolSettings = Omit<CreateUserPoolCommandInput, 'PoolName'>;

/**
 * The sandbox's pool, set up like a typical real one so the strict endpoint holds sign-ups to
 * realistic rules: Cognito's default password policy (8+ characters with upper, lower, number and
 * symbol), email required and auto-verified (sign-ups get a confirmation code).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 * Required because cognito-local refuses an auto-verifying pool's sign-up without an email
 * ("User has no attribute matching desired auto verified attributes").
 */
export const SANDBOX_POOL_SETTINGS: LocalPoolSettings = {
  Policies: {
    PasswordPolicy: {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    },
  },
  AutoVerifiedAttributes: ['email'],
  Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
};

export async function createLocalPool(
  endpoint: string,
  name: string,
  settings: LocalPoolSettings = {},
): Promise<LocalPool> {
  const client = adminClient(endpoint);
  try {
    const out = await client.send(new CreateUserPoolCommand({ ...settings, PoolName: name }));
    const id = out.UserPool?.Id;
    if (id === undefined) throw new Error('cognito-local created a user pool without an id.');
    return { userPoolId: id };
  } finally {
    client.destroy();
  }
}

export async function createLocalClient(
  endpoint: string,
  userPoolId: string,
  options: { name?: string; secret: boolean },
): Promise<LocalClient> {
  const client = adminClient(endpoint);
  try {
    const out = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: options.name ?? (options.secret ? 'with-secret' : 'no-secret'),
        GenerateSecret: options.secret,
      }),
    );
    const clientId = out.UserPoolClient?.ClientId;
    if (clientId === undefined) throw new Error('cognito-local created an app client without an id.');
    const secret = out.UserPoolClient?.ClientSecret ?? null;
    if (options.secret && secret === null) throw new Error('cognito-local did not generate a client secret.');
    return { userPoolId, clientId, secret };
  } finally {
    client.destroy();
  }
}

/** Finds a pool by name and its first app client with the given name (the sandbox's re-use on restart). */
export async function findLocalClient(
  endpoint: string,
  poolName: string,
  clientName: string,
): Promise<LocalClient | null> {
  const client = adminClient(endpoint);
  try {
    const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    for (const pool of pools.UserPools ?? []) {
      if (pool.Name !== poolName || pool.Id === undefined) continue;
      const clients = await client.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 60 }),
      );
      for (const summary of clients.UserPoolClients ?? []) {
        if (summary.ClientName !== clientName || summary.ClientId === undefined) continue;
        const described = await client.send(
          new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: summary.ClientId }),
        );
        return {
          userPoolId: pool.Id,
          clientId: summary.ClientId,
          secret: described.UserPoolClient?.ClientSecret ?? null,
        };
      }
    }
    return null;
  } finally {
    client.destroy();
  }
}
