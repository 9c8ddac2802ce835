import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignUpInput } from '@shared/signup-rules';
import { startCognitoLocal, type CognitoLocalHandle } from '../../../test/support/cognito-local';
import { createCognitoClient } from './client';
import { secretHash } from './secret-hash';
import { buildSignUpRequest, sendSignUp, type Connection } from './sign-up-call';

const input = (username: string, extra: Partial<SignUpInput> = {}): SignUpInput => ({
  username,
  password: 'Passw0rd!x',
  attributes: [],
  validationData: [],
  clientMetadata: [],
  ...extra,
});

describe('buildSignUpRequest', () => {
  const connection: Connection = { region: 'eu-west-1', clientId: 'client123', secret: 's3cr3t' };

  it('maps every part of the input and adds the SecretHash', () => {
    const request = buildSignUpRequest(
      connection,
      input('alice', {
        attributes: [
          { name: 'email', value: 'alice@example.com' },
          { name: 'custom:team', value: 'blue' },
        ],
        validationData: [{ name: 'invite', value: 'X1' }],
        clientMetadata: [{ name: 'source', value: 'desk' }],
        analyticsEndpointId: 'endpoint-1',
        userContextData: { ipAddress: '203.0.113.5', encodedData: 'ENC' },
      }),
    );
    expect(request).toEqual({
      ClientId: 'client123',
      Username: 'alice',
      Password: 'Passw0rd!x',
      SecretHash: secretHash('alice', 'client123', 's3cr3t'),
      UserAttributes: [
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'custom:team', Value: 'blue' },
      ],
      ValidationData: [{ Name: 'invite', Value: 'X1' }],
      ClientMetadata: { source: 'desk' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'endpoint-1' },
      UserContextData: { IpAddress: '203.0.113.5', EncodedData: 'ENC' },
    });
  });

  it('sends no SecretHash and no empty lists when there is nothing to send', () => {
    const request = buildSignUpRequest(
      { ...connection, secret: null },
      input('bob', { userContextData: { ipAddress: '' } }),
    );
    expect(request).toEqual({ ClientId: 'client123', Username: 'bob', Password: 'Passw0rd!x' });
  });
});

describe('sendSignUp against cognito-local', () => {
  let local: CognitoLocalHandle;
  beforeAll(async () => {
    local = await startCognitoLocal();
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('creates a user, then reports the second attempt as exists', async () => {
    const app = await local.createClient({ secret: true });
    const connection: Connection = {
      region: local.region,
      endpoint: local.endpoint,
      clientId: app.clientId,
      userPoolId: app.userPoolId,
      secret: app.secret,
    };
    const client = createCognitoClient({ region: local.region, endpoint: local.endpoint });
    const first = await sendSignUp(
      client,
      connection,
      input('carol', { attributes: [{ name: 'email', value: 'carol@example.com' }] }),
    );
    expect(first.kind).toBe('ok');
    if (first.kind !== 'ok') return;
    expect(first.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.userConfirmed).toBe(false);
    // (cognito-local sends no CodeDeliveryDetails for a pool without auto-verified attributes;
    // their mapping is checked on the wire below.)

    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: app.userPoolId, Username: 'carol' }),
    );
    expect(user.UserAttributes?.find((a) => a.Name === 'sub')?.Value).toBe(first.userSub);

    const second = await sendSignUp(client, connection, input('carol'));
    expect(second).toMatchObject({
      kind: 'error',
      error: { category: 'exists', name: 'UsernameExistsException' },
    });
  });

  it('classifies an unknown app client as a configuration error', async () => {
    const client = createCognitoClient({ region: local.region, endpoint: local.endpoint });
    const result = await sendSignUp(
      client,
      { region: local.region, clientId: 'nosuchclient', secret: null },
      input('dave'),
    );
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.error.category).toBe('config');
  });
});

describe('sendSignUp on the wire', () => {
  let server: Server;
  let endpoint: string;
  const bodies: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            UserConfirmed: true,
            UserSub: 'sub-9',
            CodeDeliveryDetails: {
              Destination: '+*******0123',
              DeliveryMedium: 'SMS',
              AttributeName: 'phone_number',
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('sends the SecretHash Cognito expects and maps the answer', async () => {
    const client = createCognitoClient({ region: 'eu-west-1', endpoint });
    const result = await sendSignUp(
      client,
      { region: 'eu-west-1', clientId: 'cid', secret: 'k' },
      input('erin'),
    );
    expect(bodies[0]).toMatchObject({
      ClientId: 'cid',
      Username: 'erin',
      SecretHash: secretHash('erin', 'cid', 'k'),
    });
    expect(result).toEqual({
      kind: 'ok',
      userSub: 'sub-9',
      userConfirmed: true,
      codeDeliveryDetails: {
        destination: '+*******0123',
        deliveryMedium: 'SMS',
        attributeName: 'phone_number',
      },
    });
  });
});
