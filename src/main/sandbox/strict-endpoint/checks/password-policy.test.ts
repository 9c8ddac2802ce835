import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../pool-rules';
import { checkPassword } from './password-policy';

const reason = (password: string | undefined, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY) => {
  const error = checkPassword(password, policy);
  return error === null ? null : { type: error.type, message: error.message };
};

describe('checkPassword', () => {
  it('accepts a password with every class the default policy asks for', () => {
    expect(reason('Passw0rd!')).toBeNull();
  });

  it.each([
    ['abc', 'Password not long enough'],
    [undefined, 'Password not long enough'],
    ['passw0rd!', 'Password must have uppercase characters'],
    ['PASSW0RD!', 'Password must have lowercase characters'],
    ['Password!', 'Password must have numeric characters'],
    ['Passw0rdx', 'Password must have symbol characters'],
  ])('refuses %j: %s', (password, message) => {
    expect(reason(password)).toEqual({
      type: 'InvalidPasswordException',
      message: `Password did not conform with policy: ${message}`,
    });
  });

  it('counts a space as a symbol only inside the password', () => {
    expect(reason('Passw0rd x')).toBeNull();
    expect(reason(' Passw0rdx')).toMatchObject({ message: expect.stringContaining('symbol') });
    expect(reason('Passw0rdx ')).toMatchObject({ message: expect.stringContaining('symbol') });
  });

  it('asks only what the policy asks', () => {
    const lenient: PasswordPolicy = {
      minimumLength: 6,
      requireUppercase: false,
      requireLowercase: false,
      requireNumbers: false,
      requireSymbols: false,
    };
    expect(reason('abcdef', lenient)).toBeNull();
    expect(reason('abcde', lenient)).toMatchObject({ message: expect.stringContaining('not long enough') });
  });

  it('measures length in characters, not UTF-16 units', () => {
    expect(reason('Aa1!😀😀', { ...DEFAULT_PASSWORD_POLICY, minimumLength: 6 })).toBeNull();
    expect(reason('Aa1!😀', { ...DEFAULT_PASSWORD_POLICY, minimumLength: 6 })).not.toBeNull();
  });
});
