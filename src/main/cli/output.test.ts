import { describe, expect, it } from 'vitest';
import { signUpJson, signUpLines, table } from './output';

describe('signup output', () => {
  it('prints the documented JSON object, omitting absent fields', () => {
    const created = signUpJson({
      outcome: 'created',
      userSub: 'sub-1',
      userConfirmed: false,
      codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
      logId: 7,
    });
    expect(JSON.stringify(created)).toBe(
      '{"outcome":"created","userSub":"sub-1","userConfirmed":false,"codeDeliveryDetails":{"destination":"a***@e***","deliveryMedium":"EMAIL","attributeName":"email"}}',
    );
    const refused = signUpJson({
      outcome: 'rejected',
      error: { name: 'InvalidPasswordException', message: 'too short', requestId: 'r-1', hint: 'Longer.' },
    });
    expect(refused).toEqual({
      outcome: 'rejected',
      error: { name: 'InvalidPasswordException', message: 'too short', requestId: 'r-1', hint: 'Longer.' },
    });
    expect(signUpJson({ outcome: 'invalid', fieldErrors: { username: 'Enter a username.' } })).toEqual({
      outcome: 'invalid',
      fieldErrors: { username: 'Enter a username.' },
    });
  });

  it('says where the confirmation code went in readable output', () => {
    const lines = signUpLines(
      {
        outcome: 'created',
        userSub: 'sub-1',
        userConfirmed: false,
        codeDeliveryDetails: {
          destination: '+*******7890',
          deliveryMedium: 'SMS',
          attributeName: 'phone_number',
        },
      },
      'alice',
    );
    expect(lines).toEqual([
      'Created "alice" (sub sub-1).',
      'Confirmed: no — the user must confirm.',
      'Confirmation code sent by SMS to +*******7890 (phone_number).',
    ]);
    expect(
      signUpLines(
        {
          outcome: 'exists',
          error: { name: 'UsernameExistsException', message: 'User already exists', hint: 'Pick another.' },
        },
        'bob',
      ),
    ).toEqual([
      '"bob" already exists.',
      'UsernameExistsException: User already exists',
      'Hint: Pick another.',
    ]);
  });

  it('aligns table columns', () => {
    expect(
      table([
        ['A', 'BB', 'x'],
        ['CCC', 'D', 'y'],
      ]),
    ).toEqual(['A    BB  x', 'CCC  D   y']);
  });
});
