import { describe, expect, it } from 'vitest';
import {
  checkAttributeName,
  checkAttributeValue,
  checkPassword,
  checkPhone,
  checkUsername,
  validateSignUpInput,
} from './signup-rules';

describe("usernames, as Cognito's pattern [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ defines them", () => {
  it('accepts letters, marks, numbers, symbols and punctuation from any script', () => {
    for (const name of ['ada', 'José', 'ユーザー', 'a.b-c_d@e+f', 'née', '€uro', 'Zoë✓'])
      expect(checkUsername(name), name).toBeNull();
  });

  it('refuses invisible and control characters and says which one and where', () => {
    expect(checkUsername('ada\u200b')).toMatch(/U\+200B \(zero-width space\) at position 4/);
    expect(checkUsername('a\u200dda')).toMatch(/U\+200D \(zero-width joiner\) at position 2/);
    expect(checkUsername('ad\u00ada')).toMatch(/U\+00AD \(soft hyphen\)/);
    expect(checkUsername('a\u001b]0;pwned\u0007')).toMatch(/U\+001B \(control character\) at position 2/);
    expect(checkUsername('\ufeffada')).toMatch(/BOM/);
  });

  it('says whitespace is not allowed, naming it', () => {
    expect(checkUsername('ada lovelace')).toMatch(/whitespace\. It has a space at position 4/);
    expect(checkUsername('ada\tl')).toMatch(/tab/);
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expect(checkUsername('😀😀\u200b')).toMatch(/position 3/);
  });
});

describe('passwords', () => {
  it('allows spaces inside (Cognito counts them as special characters)', () => {
    expect(checkPassword('correct horse Battery 9')).toBeNull();
  });

  it('refuses leading or trailing whitespace', () => {
    expect(checkPassword(' Secret-123')).toMatch(/start or end/);
    expect(checkPassword('Secret-123\t')).toMatch(/start or end/);
  });
});

describe('attributes', () => {
  it('limits a custom name to 20 characters after the prefix', () => {
    expect(checkAttributeName(`custom:${'a'.repeat(20)}`)).toBeNull();
    expect(checkAttributeName(`custom:${'a'.repeat(21)}`)).toMatch(/20 characters after "custom:"/);
  });

  it('takes a birthdate only when the calendar has that day', () => {
    expect(checkAttributeValue('birthdate', '1990-02-28')).toBeNull();
    expect(checkAttributeValue('birthdate', '2024-02-29')).toBeNull();
    expect(checkAttributeValue('birthdate', '1990-13-45')).toMatch(/not a date in the calendar/);
    expect(checkAttributeValue('birthdate', '2023-02-29')).toMatch(/not a date in the calendar/);
    expect(checkAttributeValue('birthdate', '01/02/1990')).toMatch(/YYYY-MM-DD/);
  });

  it('takes updated_at as seconds since the epoch', () => {
    expect(checkAttributeValue('updated_at', '1735689600')).toBeNull();
    expect(checkAttributeValue('updated_at', '2025-01-01')).toMatch(/seconds since 1970/);
    expect(checkAttributeValue('updated_at', '-5')).toMatch(/seconds since 1970/);
  });

  it('drops the national trunk (0) of a UK number written +44 (0) 7700 900125', () => {
    expect(checkPhone('+44 (0) 7700 900125')?.suggestion).toBe('+447700900125');
    expect(checkPhone('+44 7700 900123')?.suggestion).toBe('+447700900123');
  });
});

describe('validation data', () => {
  it('limits names to 32 characters, like attribute names', () => {
    const input = {
      username: 'ada',
      password: 'Secret-123',
      attributes: [],
      validationData: [{ name: 'x'.repeat(33), value: '1' }],
      clientMetadata: [{ name: 'y'.repeat(33), value: '1' }],
    };
    const errors = validateSignUpInput(input);
    expect(errors['validationData.0.name']).toMatch(/32 characters/);
    expect(errors['clientMetadata.0.name']).toBeUndefined();
  });
});
