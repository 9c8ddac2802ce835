import { describe, expect, test } from 'vitest';
import { checkPassword } from '@shared/signup-rules';
import { AppError } from '../errors';
import {
  DEFAULT_PASSWORD_POLICY,
  GENERATED_SYMBOLS,
  generatePassword,
  type PasswordPolicy,
} from './password-generator';

const symbol = new RegExp(`[${GENERATED_SYMBOLS.replace(/[\]\\^-]/g, '\\$&')}]`);

describe('generatePassword', () => {
  test('meets every required class, is long enough and passes the form rules', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword(DEFAULT_PASSWORD_POLICY);
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/\d/);
      expect(password).toMatch(symbol);
      expect(checkPassword(password)).toBeNull();
      // Never starts with a character the report's formula guard would prefix.
      expect(password[0]).not.toMatch(/[=+\-@\t\r]/);
    }
  });

  test('honours a long minimum length', () => {
    expect(generatePassword({ ...DEFAULT_PASSWORD_POLICY, minLength: 99 })).toHaveLength(99);
  });

  test('is random: no repeats over many draws', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generatePassword(DEFAULT_PASSWORD_POLICY)));
    expect(seen.size).toBe(1000);
  });

  test('a policy requiring only digits still yields a digit even in a short password', () => {
    const policy: PasswordPolicy = {
      minLength: 6,
      requireUppercase: false,
      requireLowercase: false,
      requireNumbers: true,
      requireSymbols: false,
    };
    for (let i = 0; i < 100; i++) expect(generatePassword(policy)).toMatch(/\d/);
  });

  test.each([5, 100, 8.5])('rejects minimum length %s with InvalidPasswordPolicy', (minLength) => {
    expect(() => generatePassword({ ...DEFAULT_PASSWORD_POLICY, minLength })).toThrow(AppError);
    try {
      generatePassword({ ...DEFAULT_PASSWORD_POLICY, minLength });
    } catch (error) {
      expect((error as AppError).name).toBe('InvalidPasswordPolicy');
    }
  });
});
