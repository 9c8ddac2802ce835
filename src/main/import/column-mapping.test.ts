import { describe, expect, test } from 'vitest';
import { STANDARD_ATTRIBUTES } from '@shared/signup-rules';
import { AppError } from '../errors';
import { assertMappingUsable, normaliseHeader, parseMapOption, suggestMapping } from './column-mapping';

function errorName(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).name;
  }
  throw new Error('expected an AppError');
}

const targets = (headers: string[], overrides?: Record<string, string>): string[] =>
  suggestMapping(headers, overrides).columns.map((c) => c.target);

describe('suggestMapping', () => {
  test('maps every standard attribute by its own name', () => {
    expect(targets(['username', ...STANDARD_ATTRIBUTES])).toEqual(['username', ...STANDARD_ATTRIBUTES]);
  });

  test.each([
    ['Email', 'email'],
    ['E-mail', 'email'],
    [' EMAIL ', 'email'],
    ['phone number', 'phone_number'],
    ['Phone_Number', 'phone_number'],
    ['PhoneNumber', 'phone_number'],
    ['Mobile', 'phone_number'],
    ['First Name', 'given_name'],
    ['lastName', 'family_name'],
    ['User Name', 'username'],
    ['cognito:username', 'username'],
    ['Password', 'password'],
    ['Date of birth', 'birthdate'],
  ])('%j → %s', (header, target) => {
    expect(targets(['username', header].filter((h, i) => i === 1 || h !== header))).toContain(target);
  });

  test('custom attributes keep the case of their name', () => {
    const mapping = suggestMapping(['username', 'custom:joinedOn', 'Custom:Tier']);
    expect(mapping.columns.map((c) => c.target)).toEqual(['username', 'custom:joinedOn', 'custom:Tier']);
  });

  test('Cognito import columns SignUp cannot take are ignored with a reason', () => {
    const mapping = suggestMapping([
      'cognito:username',
      'email_verified',
      'phone_number_verified',
      'cognito:mfa_enabled',
    ]);
    expect(mapping.columns.map((c) => [c.target, c.known])).toEqual([
      ['username', true],
      ['ignore', true],
      ['ignore', true],
      ['ignore', true],
    ]);
    expect(mapping.columns[1]?.note).toMatch(/cannot mark an email as verified/);
    expect(mapping.columns[3]?.note).toMatch(/MFA/);
    expect(mapping.unknown).toEqual([]);
  });

  test('unknown columns are ignored and listed; missing required targets are listed', () => {
    const mapping = suggestMapping(['Login Email', 'Department'], {}, { passwordColumnRequired: true });
    expect(mapping.unknown).toEqual(['Login Email', 'Department']);
    expect(mapping.missingRequired).toEqual(['username', 'password']);
    expect(errorName(() => assertMappingUsable(mapping))).toBe('MissingColumn');
  });

  test('overrides map, re-map and ignore columns (header matched case-insensitively)', () => {
    const mapping = suggestMapping(['Login', 'Mail', 'Dept', 'Notes'], {
      login: 'username',
      Mail: 'ignore',
      Dept: 'custom:department',
      Notes: 'ignore',
    });
    expect(mapping.columns.map((c) => c.target)).toEqual([
      'username',
      'ignore',
      'custom:department',
      'ignore',
    ]);
    expect(mapping.columns[0]?.note).toBe('Set by you.');
    expect(mapping.unknown).toEqual([]);
  });

  test('an override naming a missing column or an impossible target is an InvalidMapping', () => {
    expect(errorName(() => suggestMapping(['username'], { Phone: 'phone_number' }))).toBe('InvalidMapping');
    expect(errorName(() => suggestMapping(['username', 'x'], { x: 'department' }))).toBe('InvalidMapping');
    expect(errorName(() => suggestMapping(['username', 'x'], { x: 'custom:' + 'a'.repeat(40) }))).toBe(
      'InvalidMapping',
    );
  });

  test('two columns feeding one target are reported and stop the import', () => {
    const mapping = suggestMapping(['username', 'Email', 'E-mail']);
    expect(mapping.duplicates).toEqual([{ target: 'email', headers: ['Email', 'E-mail'] }]);
    expect(errorName(() => assertMappingUsable(mapping))).toBe('DuplicateColumn');
  });

  test('a first line of data is NoHeader, without echoing other cells', () => {
    let message = '';
    try {
      suggestMapping(['alice', 'alice@example.com', 'S3cret!pass']);
    } catch (error) {
      expect((error as AppError).name).toBe('NoHeader');
      message = (error as AppError).message;
    }
    expect(message).toContain('alice@example.com');
    expect(message).not.toContain('S3cret');
    expect(errorName(() => suggestMapping(['bob', '+447700900001']))).toBe('NoHeader');
  });

  test('names that are merely unknown are not mistaken for data', () => {
    expect(suggestMapping(['Identifier', 'Team']).missingRequired).toEqual(['username']);
  });
});

test('normaliseHeader', () => {
  expect(normaliseHeader('\uFEFF Phone-Number ')).toBe('phone_number');
  expect(normaliseHeader('givenName')).toBe('given_name');
});

test('parseMapOption splits on the last "="', () => {
  expect(parseMapOption('Mobile=phone_number')).toEqual(['Mobile', 'phone_number']);
  expect(parseMapOption('a=b=custom:x')).toEqual(['a=b', 'custom:x']);
  expect(errorName(() => parseMapOption('Mobile'))).toBe('InvalidMapping');
  expect(errorName(() => parseMapOption('Mobile='))).toBe('InvalidMapping');
});
