/**
 * The baseline for the engine's throughput: the least a client can do to send the same sign-ups —
 * the AWS SDK's CognitoIdentityProviderClient and SignUpCommand with a SecretHash, `concurrency`
 * workers over an in-memory list, the same keep-alive agent settings the engine's client uses, and
 * nothing else (no CSV, no checks, no SQLite, no retries).
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/cognito-identity-provider/command/SignUpCommand/
 */
import { createHmac } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  SignUpCommand,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserRow } from './fixtures';

export interface BareLoopOptions {
  endpoint: string;
  clientId: string;
  secret: string;
  password: string;
  concurrency: number;
}

export interface BareLoopResult {
  sent: number;
  created: number;
  failed: number;
  elapsedMs: number;
}

function request(row: UserRow, options: BareLoopOptions): SignUpCommandInput {
  return {
    ClientId: options.clientId,
    Username: row.username,
    Password: options.password,
    // https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
    SecretHash: createHmac('sha256', options.secret)
      .update(row.username + options.clientId)
      .digest('base64'),
    UserAttributes: [
      { Name: 'email', Value: row.email },
      { Name: 'phone_number', Value: row.phone },
      { Name: 'given_name', Value: row.givenName },
      { Name: 'family_name', Value: row.familyName },
    ],
  };
}

export async function bareSignUpLoop(
  rows: readonly UserRow[],
  options: BareLoopOptions,
): Promise<BareLoopResult> {
  const started = performance.now();
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: {
      httpAgent: { maxSockets: options.concurrency, keepAlive: true },
    },
  });
  let next = 0;
  let created = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < rows.length; i = next++) {
      try {
        await client.send(new SignUpCommand(request(rows[i] as UserRow, options)));
        created++;
      } catch {
        failed++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    client.destroy();
  }
  return { sent: rows.length, created, failed, elapsedMs: performance.now() - started };
}
