/**
 * The strict endpoint over real HTTP in front of a real cognito-local, called with the AWS SDK's
 * SignUpCommand the way the app calls Cognito.
 */
import { request as httpRequest } from 'node:http';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognitoLocal, type CognitoLocalHandle } from '../../../../test/support/cognito-local';
import { secretHash } from '../../cognito/secret-hash';
import { createLocalClient, createLocalPool, SANDBOX_POOL_SETTINGS, type LocalClient } from '../local-pool';
import { startStrictEndpoint, type StrictEndpoint } from './server';

let local: CognitoLocalHandle;
let strict: StrictEndpoint;
let sdk: CognitoIdentityProviderClient;
let app: LocalClient;
let noSecret: LocalClient;

beforeAll(async () => {
  local = await startCognitoLocal();
  strict = await startStrictEndpoint({ upstream: local.endpoint, dataDir: local.dir });
  sdk = new CognitoIdentityProviderClient({
    endpoint: strict.endpoint,
    region: local.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const { userPoolId } = await createLocalPool(local.endpoint, 'strict', SANDBOX_POOL_SETTINGS);
  app = await createLocalClient(local.endpoint, userPoolId, { secret: true });
  noSecret = await createLocalClient(local.endpoint, userPoolId, { secret: false });
});
afterAll(async () => {
  sdk?.destroy();
  await strict?.stop();
  await local?.stop();
});

const PASSWORD = 'Passw0rd!';

function signUp(
  username: string,
  extra: Partial<SignUpCommandInput> & { secret?: string | null } = {},
  client: LocalClient = app,
) {
  const { secret = client.secret, ...input } = extra;
  return sdk.send(
    new SignUpCommand({
      ClientId: client.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      ...(secret !== null && { SecretHash: secretHash(username, client.clientId, secret) }),
      ...input,
    }),
  );
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode !== undefined && { status: e.$metadata.httpStatusCode }),
    };
  }
  throw new Error('expected the call to fail');
}

function get(path: string, host: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${strict.endpoint}${path}`, { headers: { host } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || 'null') as unknown }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('strict endpoint', () => {
  it('refuses a wrong, a missing and an unexpected SecretHash with Cognito’s names', async () => {
    expect(await failure(signUp('s1', { secret: 'not-the-secret' }))).toEqual({
      name: 'NotAuthorizedException',
      message: `SecretHash does not match for the client: ${app.clientId}`,
      status: 400,
    });
    expect(await failure(signUp('s2', { secret: null }))).toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${app.clientId} is configured for secret but secret was not received`,
    });
    expect(await failure(signUp('s3', { secret: 'anything' }, noSecret))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('not configured for secret but secret hash was received'),
    });
  });

  it('refuses "abc" by the pool’s password policy and an attribute the schema lacks', async () => {
    expect(await failure(signUp('weak', { Password: 'abc' }))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
      status: 400,
    });
    expect(
      await failure(
        signUp('extra', {
          UserAttributes: [
            { Name: 'email', Value: 'extra@example.com' },
            { Name: 'custom:nope', Value: 'x' },
          ],
        }),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
    expect(await failure(signUp('noemail', { UserAttributes: [] }))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email: The attribute is required',
    });
    expect(
      await failure(
        signUp('verified', {
          UserAttributes: [
            { Name: 'email', Value: 'verified@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      ),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
  });

  it('creates a valid sign-up with masked CodeDeliveryDetails, and makes its code readable locally', async () => {
    const created = await signUp('valid');
    expect(created.UserSub).toEqual(expect.any(String));
    expect(created.UserConfirmed).toBe(false);
    expect(created.CodeDeliveryDetails).toEqual({
      Destination: 'v***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const path = `/__sandbox/codes/${app.userPoolId}/valid`;
    const read = await get(path, strict.endpoint.slice('http://'.length));
    expect(read).toEqual({
      status: 200,
      body: { username: 'valid', code: expect.stringMatching(/^\d{6}$/), userStatus: 'UNCONFIRMED' },
    });
    // A page that reaches the port under another name (DNS rebinding) is not answered.
    expect((await get(path, 'attacker.example:80')).status).toBe(403);
    expect((await get(`/__sandbox/codes/${app.userPoolId}/nobody`, '127.0.0.1')).status).toBe(404);
    expect((await failure(signUp('valid'))).name).toBe('UsernameExistsException');
  });

  it('wants an email as the username in a pool whose username is the email', async () => {
    const { userPoolId } = await createLocalPool(local.endpoint, 'by-email', {
      ...SANDBOX_POOL_SETTINGS,
      UsernameAttributes: ['email'],
    });
    const client = await createLocalClient(local.endpoint, userPoolId, { secret: false });
    expect(await failure(signUp('plain-name', { UserAttributes: [] }, client))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    const created = await signUp('dora@example.com', { UserAttributes: [] }, client);
    expect(created.CodeDeliveryDetails?.Destination).toBe('d***@e***');
    expect((await get(`/__sandbox/codes/${userPoolId}/dora@example.com`, '127.0.0.1')).status).toBe(200);
  });

  it('forwards other operations and re-reads the rules after one changes the pool', async () => {
    const pools = await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.map((p) => p.Id)).toContain(app.userPoolId);
    await sdk.send(
      new UpdateUserPoolCommand({
        UserPoolId: app.userPoolId,
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: { ...SANDBOX_POOL_SETTINGS.Policies?.PasswordPolicy, MinimumLength: 12 },
        },
      }),
    );
    expect(await failure(signUp('nine-chars'))).toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
  });
});
