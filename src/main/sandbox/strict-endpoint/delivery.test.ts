import { describe, expect, it } from 'vitest';
import { codeDeliveryFor } from './delivery';
import { poolRulesFrom } from './pool-rules';
import { parseSignUpRequest } from './sign-up-request';

const request = (body: Record<string, unknown>) => parseSignUpRequest(Buffer.from(JSON.stringify(body)));
const alice = request({
  ClientId: 'c',
  Username: 'alice',
  UserAttributes: [
    { Name: 'email', Value: 'alice@example.com' },
    { Name: 'phone_number', Value: '+14155550123' },
  ],
});

describe('codeDeliveryFor', () => {
  it('sends to the auto-verified email, masked', () => {
    expect(codeDeliveryFor(poolRulesFrom({ Id: 'p', AutoVerifiedAttributes: ['email'] }), alice)).toEqual({
      Destination: 'a***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
  });

  it('prefers SMS when the pool auto-verifies both', () => {
    const pool = poolRulesFrom({ Id: 'p', AutoVerifiedAttributes: ['email', 'phone_number'] });
    expect(codeDeliveryFor(pool, alice)).toEqual({
      Destination: '+*******0123',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
  });

  it('sends nothing when the pool auto-verifies nothing, or the user gave no such attribute', () => {
    expect(codeDeliveryFor(poolRulesFrom({ Id: 'p' }), alice)).toBeNull();
    const pool = poolRulesFrom({ Id: 'p', AutoVerifiedAttributes: ['email'] });
    expect(codeDeliveryFor(pool, request({ ClientId: 'c', Username: 'bob' }))).toBeNull();
  });

  it('uses the username of a pool whose username is the email', () => {
    const pool = poolRulesFrom({ Id: 'p', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    expect(codeDeliveryFor(pool, request({ ClientId: 'c', Username: 'bob@example.org' }))?.Destination).toBe(
      'b***@e***',
    );
  });
});
