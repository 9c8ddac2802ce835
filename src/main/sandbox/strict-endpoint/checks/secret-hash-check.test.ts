import { describe, expect, it } from 'vitest';
import { secretHash } from '../../../cognito/secret-hash';
import type { ClientRules } from '../pool-rules';
import { checkSecretHash } from './secret-hash-check';

const withSecret: ClientRules = { clientId: 'cid', poolId: 'p_1', secret: 's3cret', writeAttributes: null };
const withoutSecret: ClientRules = { ...withSecret, secret: null };

describe('checkSecretHash', () => {
  it('accepts the right hash for a client with a secret', () => {
    expect(checkSecretHash(withSecret, 'alice', secretHash('alice', 'cid', 's3cret'))).toBeNull();
  });

  it('refuses a wrong hash (another secret, or the hash of another username)', () => {
    for (const sent of [secretHash('alice', 'cid', 'other'), secretHash('bob', 'cid', 's3cret')]) {
      expect(checkSecretHash(withSecret, 'alice', sent)).toMatchObject({
        type: 'NotAuthorizedException',
        message: 'SecretHash does not match for the client: cid',
        status: 400,
      });
    }
  });

  it('refuses a missing or empty hash for a client with a secret', () => {
    for (const sent of [undefined, '']) {
      expect(checkSecretHash(withSecret, 'alice', sent)).toMatchObject({
        type: 'NotAuthorizedException',
        message: 'Client cid is configured for secret but secret was not received',
      });
    }
  });

  it('refuses any hash sent to a client without a secret, and accepts none', () => {
    expect(checkSecretHash(withoutSecret, 'alice', 'anything')).toMatchObject({
      type: 'InvalidParameterException',
      message: expect.stringContaining('not configured for secret but secret hash was received'),
    });
    expect(checkSecretHash(withoutSecret, 'alice', undefined)).toBeNull();
  });
});
