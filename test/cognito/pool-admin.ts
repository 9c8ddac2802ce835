/**
 * Test-side administration of a cognito-local endpoint through the real AWS SDK: create a fresh
 * pool and app client, look users up. cognito-local checks no credentials, so dummy ones do.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

export const TEST_REGION = 'us-east-1';

/** An SDK client for a local endpoint: dummy credentials, no retries (tests count every call). */
export function adminClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export interface TestPool {
  poolId: string;
  clientId: string;
  /** Null for a client created without a secret. */
  clientSecret: string | null;
}

export interface CreatePoolOptions {
  name?: string;
  /** Create the app client with a secret (default true: the app's main case). */
  generateSecret?: boolean;
  /**
   * ['email'] makes sign-ups answer CodeDeliveryDetails — but cognito-local then rejects every
   * sign-up without an email attribute (InvalidParameterException "User has no attribute matching
   * desired auto verified attributes"), so the default is none.
   */
  autoVerifiedAttributes?: ('email' | 'phone_number')[];
  /** Custom String attributes to add to the schema, without the `custom:` prefix. */
  customAttributes?: string[];
  /** The app client's WriteAttributes; unset, it may write the standard attributes only. */
  writeAttributes?: string[];
}

export async function createPoolWithClient(
  endpoint: string,
  options: CreatePoolOptions = {},
): Promise<TestPool> {
  const client = adminClient(endpoint);
  try {
    const name = options.name ?? `test-${Date.now().toString(36)}`;
    const pool = await client.send(
      new CreateUserPoolCommand({
        PoolName: name,
        ...(options.autoVerifiedAttributes !== undefined &&
          options.autoVerifiedAttributes.length > 0 && {
            AutoVerifiedAttributes: options.autoVerifiedAttributes,
          }),
        ...(options.customAttributes !== undefined && {
          Schema: options.customAttributes.map((Name) => ({
            Name,
            AttributeDataType: 'String',
            Mutable: true,
          })),
        }),
      }),
    );
    const poolId = pool.UserPool?.Id;
    if (poolId === undefined) throw new Error('CreateUserPool returned no pool id');
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: `${name}-client`,
        GenerateSecret: options.generateSecret ?? true,
        ...(options.writeAttributes !== undefined && { WriteAttributes: options.writeAttributes }),
      }),
    );
    const clientId = appClient.UserPoolClient?.ClientId;
    if (clientId === undefined) throw new Error('CreateUserPoolClient returned no client id');
    return { poolId, clientId, clientSecret: appClient.UserPoolClient?.ClientSecret ?? null };
  } finally {
    client.destroy();
  }
}

export interface UserInfo {
  username: string;
  status: string | undefined;
  attributes: Record<string, string>;
}

/** The user as the pool stores it, or null when the pool has no such user. */
export async function getUser(endpoint: string, poolId: string, username: string): Promise<UserInfo | null> {
  const client = adminClient(endpoint);
  try {
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const attributes: Record<string, string> = {};
    for (const attribute of user.UserAttributes ?? []) {
      if (attribute.Name !== undefined) attributes[attribute.Name] = attribute.Value ?? '';
    }
    return { username: user.Username ?? username, status: user.UserStatus, attributes };
  } catch (error) {
    if (error instanceof UserNotFoundException) return null;
    throw error;
  } finally {
    client.destroy();
  }
}
