/**
 * SecretHash, as Cognito checks it on SignUp (docs/cognito.md#secret-hash): required and right for a
 * client with a secret, refused for a client without one. The messages are the wordings
 * docs/cognito.md records from real responses; callers act on the exception name.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
import { timingSafeEqual } from 'node:crypto';
import { secretHash } from '../../../cognito/secret-hash';
import type { ClientRules } from '../pool-rules';
import { AwsError } from '../wire';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function checkSecretHash(
  client: ClientRules,
  username: string,
  sent: string | undefined,
): AwsError | null {
  const id = client.clientId;
  if (client.secret === null) {
    // Type and text unverified (docs/cognito.md#what-we-could-not-verify); we answer what the doc records.
    return sent === undefined
      ? null
      : new AwsError(
          'InvalidParameterException',
          `Client ${id} is not configured for secret but secret hash was received`,
        );
  }
  if (sent === undefined || sent === '') {
    return new AwsError(
      'NotAuthorizedException',
      `Client ${id} is configured for secret but secret was not received`,
    );
  }
  if (!same(sent, secretHash(username, id, client.secret))) {
    return new AwsError('NotAuthorizedException', `SecretHash does not match for the client: ${id}`);
  }
  return null;
}
