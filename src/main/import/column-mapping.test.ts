import { describe, expect, test } from 'vitest';
import { STANDARD_ATTRIBUTES } from '@shared/signup-rules';
import { AppError } from '../errors';
import {
  assertMappingUsable,
  MAX_COLUMNS,
  normaliseHeader,
  parseMapOption,
  suggestMapping,
} from './column-mapping';

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
    expect(message).toContain('column 2 looks like an email address');
    expect(message).not.toContain('alice');
    expect(message).not.toContain('S3cret');
    expect(errorName(() => suggestMapping(['bob', '+447700900001']))).toBe('NoHeader');
  });

  test('a cell that only starts like a date is not quoted: the NoHeader message names no cell', () => {
    // The date pattern was anchored at its start only, so this cell matched and was echoed.
    let message = '';
    try {
      suggestMapping(['bob', 'bob@example.com', '2024-01-01Secret!']);
    } catch (error) {
      expect((error as AppError).name).toBe('NoHeader');
      message = (error as AppError).message;
    }
    expect(message).toBe(
      'The first line looks like data (column 2 looks like an email address), not column names.',
    );
    expect(message).not.toContain('Secret');
    expect(message).not.toContain('bob');
    // Alone it gave the line away as data, and the message quoted it.
    expect(suggestMapping(['bob', '2024-01-01Secret!']).missingRequired).toEqual(['username']);
  });

  test('names that are merely unknown are not mistaken for data', () => {
    expect(suggestMapping(['Identifier', 'Team']).missingRequired).toEqual(['username']);
  });
});

describe('many columns', () => {
  const duplicates = (count: number): string[] => [
    'username',
    ...Array.from({ length: count - 1 }, () => 'email'),
  ];
  const timed = (count: number): number => {
    const started = performance.now();
    const mapping = suggestMapping(duplicates(count), {}, { maxColumns: Infinity });
    expect(mapping.duplicates[0]?.headers).toHaveLength(count - 1);
    return performance.now() - started;
  };

  test('100,000 columns feeding one target map in linear time', () => {
    timed(10_000); // warm up the JIT
    const small = timed(10_000);
    const large = timed(100_000);
    // Copying the list per column took over a minute at 100k. Generous bounds for a loaded machine:
    // linear is ~10× the 10k time, quadratic ~100×.
    expect(large).toBeLessThan(2000);
    expect(large).toBeLessThan(Math.max(small, 5) * 40);
  });

  test('more than MAX_COLUMNS columns is TooManyColumns, at once', () => {
    const started = performance.now();
    let error: unknown = null;
    try {
      suggestMapping(duplicates(100_000));
    } catch (caught) {
      error = caught;
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect((error as AppError).name).toBe('TooManyColumns');
    expect((error as AppError).message).toBe(
      `The file has 100000 columns; SignUp Desk reads at most ${MAX_COLUMNS} — is this the right file?`,
    );
    expect(suggestMapping(duplicates(MAX_COLUMNS)).columns).toHaveLength(MAX_COLUMNS);
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
