import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { createCognitoClient } from './client';

/** A scripted Cognito-shaped endpoint: each request takes the next reply; records what came in. */
async function scripted(replies: Array<(res: ServerResponse) => void>): Promise<{
  endpoint: string;
  requests: Array<{ headers: IncomingMessage['headers']; body: string }>;
  server: Server;
}> {
  const requests: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function awsError(status: number, type: string, message: string) {
  return (res: ServerResponse): void => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': type,
      'x-amzn-requestid': `req-${type}`,
    });
    res.end(JSON.stringify({ __type: type, message }));
  };
}

const ok = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify({ UserConfirmed: false, UserSub: 'sub-1' }));
};

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const command = (): SignUpCommand => new SignUpCommand({ ClientId: 'abc', Username: 'u', Password: 'p' });

describe('createCognitoClient', () => {
  it('does not retry LimitExceededException (a quota, not throttling)', async () => {
    const { endpoint, requests } = await scripted([
      awsError(400, 'LimitExceededException', 'Exceeded daily email limit'),
    ]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint });
    await expect(client.send(command())).rejects.toMatchObject({ name: 'LimitExceededException' });
    expect(requests).toHaveLength(1);
  });

  it('retries throttling and 5xx up to maxAttempts (3 by default)', async () => {
    const { endpoint, requests } = await scripted([
      awsError(400, 'TooManyRequestsException', 'Too many requests'),
      awsError(500, 'InternalErrorException', 'boom'),
      ok,
    ]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint });
    const out = await client.send(command());
    expect(out.UserSub).toBe('sub-1');
    expect(requests).toHaveLength(3);
  });

  it('gives up after maxAttempts', async () => {
    const { endpoint, requests } = await scripted([awsError(503, 'ServiceUnavailable', 'down')]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint, maxAttempts: 2 });
    await expect(client.send(command())).rejects.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it('makes exactly one attempt with maxAttempts 1 (the bulk engine retries itself)', async () => {
    const { endpoint, requests } = await scripted([awsError(400, 'TooManyRequestsException', 'slow down')]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint, maxAttempts: 1 });
    await expect(client.send(command())).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(requests).toHaveLength(1);
  });

  it('does not retry a row error', async () => {
    const { endpoint, requests } = await scripted([awsError(400, 'InvalidPasswordException', 'too short')]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint });
    await expect(client.send(command())).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    expect(requests).toHaveLength(1);
  });

  it('sends SignUp unsigned (no AWS credentials needed or looked for)', async () => {
    const { endpoint, requests } = await scripted([ok]);
    const client = createCognitoClient({ region: 'eu-west-1', endpoint });
    await client.send(command());
    expect(requests[0]!.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.SignUp');
    expect(requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('times out a request that gets no answer', async () => {
    const { endpoint, requests } = await scripted([() => undefined]);
    const client = createCognitoClient({
      region: 'eu-west-1',
      endpoint,
      maxAttempts: 1,
      requestTimeoutMs: 300,
    });
    const started = Date.now();
    await expect(client.send(command())).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(requests).toHaveLength(1);
  });
});
