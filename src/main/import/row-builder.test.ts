import { describe, expect, test } from 'vitest';
import { suggestMapping } from './column-mapping';
import { DEFAULT_PASSWORD_POLICY } from './password-generator';
import { buildRow, type PasswordSource } from './row-builder';

const mapping = suggestMapping(['username', 'password', 'email', 'phone_number', 'custom:tier']);
const column: PasswordSource = { kind: 'column' };
const row = (cells: string[], line = 7, index = 5) => ({ line, index, cells });

describe('buildRow', () => {
  test('a good row becomes a SignUpInput; empty optional cells are left out; values trimmed, passwords not', () => {
    const built = buildRow(row([' alice ', 'Pa55word!', ' alice@example.com', '', 'gold']), mapping, column);
    expect(built.problems).toEqual([]);
    expect(built.input).toEqual({
      username: 'alice',
      password: 'Pa55word!',
      attributes: [
        { name: 'email', value: 'alice@example.com' },
        { name: 'custom:tier', value: 'gold' },
      ],
      validationData: [],
      clientMetadata: [],
    });
  });

  test('but a password with leading or trailing whitespace is reported, with line, index and column, without its value', () => {
    const trailing = buildRow(row(['alice', 'Pa55word! ', '', '', '']), mapping, column);
    expect(trailing.input.password).toBe('Pa55word! '); // not silently trimmed
    expect(trailing.problems.map((p) => p.kind)).toEqual(['invalid-password']);
    // A space inside is fine: Cognito counts it as a special character (docs/cognito.md#password).
    expect(buildRow(row(['alice', 'has space', '', '', '']), mapping, column).problems).toEqual([]);
    const built = buildRow(row(['alice', ' has space', '', '', '']), mapping, column);
    expect(built.problems).toEqual([
      {
        line: 7,
        index: 5,
        column: 'password',
        kind: 'invalid-password',
        message: 'A password cannot start or end with a space or other whitespace.',
      },
    ]);
    expect(JSON.stringify(built.problems)).not.toContain('has space');
  });

  test('empty required values are missing-value problems', () => {
    const kinds = buildRow(row(['', '', 'x@example.com', '', '']), mapping, column).problems.map((p) => [
      p.kind,
      p.column,
    ]);
    expect(kinds).toEqual([
      ['missing-value', 'username'],
      ['missing-value', 'password'],
    ]);
  });

  test('Excel-mangled phones are excel-phone with the fix; other bad values are invalid-attribute', () => {
    const problemOf = (phone: string) =>
      buildRow(row(['u', 'Pa55word!', '', phone, '']), mapping, column).problems[0];
    expect(problemOf('4.41E+11')).toMatchObject({ kind: 'excel-phone', column: 'phone_number' });
    expect(problemOf('447700900123')).toMatchObject({ kind: 'excel-phone', suggestion: '+447700900123' });
    expect(problemOf('+44 7700 900123')).toMatchObject({
      kind: 'invalid-attribute',
      suggestion: '+447700900123',
    });
    expect(problemOf('call me')).toMatchObject({ kind: 'invalid-attribute' });
    expect(problemOf('+447700900123')).toBeUndefined();
    expect(
      buildRow(row(['u', 'Pa55word!', 'not-an-email', '', '']), mapping, column).problems[0],
    ).toMatchObject({
      kind: 'invalid-attribute',
      column: 'email',
    });
  });

  test('ragged rows: missing cells are a problem, trailing empty cells are not', () => {
    expect(buildRow(row(['u', 'Pa55word!']), mapping, column).problems.map((p) => p.kind)).toEqual([
      'ragged-row',
    ]);
    expect(buildRow(row(['u', 'Pa55word!', '', '', '', '', '']), mapping, column).problems).toEqual([]);
    expect(
      buildRow(row(['u', 'Pa55word!', '', '', '', 'shifted']), mapping, column).problems.map((p) => p.kind),
    ).toEqual(['ragged-row']);
  });

  test('a shared password is used for the row; a generated one is fresh per row', () => {
    const noPasswordColumn = suggestMapping(['username']);
    expect(
      buildRow(row(['u']), noPasswordColumn, { kind: 'shared', password: 'Shared1!' }).input.password,
    ).toBe('Shared1!');
    const generated = { kind: 'generated', policy: DEFAULT_PASSWORD_POLICY } as const;
    const a = buildRow(row(['u']), noPasswordColumn, generated);
    const b = buildRow(row(['v']), noPasswordColumn, generated);
    expect(a.passwordGenerated).toBe(true);
    expect(a.problems).toEqual([]);
    expect(a.input.password).not.toBe(b.input.password);
  });

  test('an invalid username is reported against its column', () => {
    expect(buildRow(row(['al ice', 'Pa55word!', '', '', '']), mapping, column).problems[0]).toMatchObject({
      kind: 'invalid-username',
      column: 'username',
    });
  });

  test('two columns feeding one attribute: a problem only on rows that fill both', () => {
    const twoEmails = suggestMapping(['username', 'email', 'Mail'], { Mail: 'email' });
    const shared: PasswordSource = { kind: 'shared', password: 'Shared1!' };
    const both = buildRow(row(['u', 'a@example.com', 'b@example.com']), twoEmails, shared);
    expect(both.problems.map((p) => [p.kind, p.column, p.message])).toEqual([
      ['invalid-attribute', 'Mail', '"email" is given twice.'],
    ]);
    expect(buildRow(row(['u', '', 'b@example.com']), twoEmails, shared).problems).toEqual([]);
  });

  test('a problem is reported the same on every row, whatever was checked before it', () => {
    // The mapping's plan and the shared password's verdict are worked out once and reused.
    const noPasswordColumn = suggestMapping(['username', 'phone_number']);
    const good: PasswordSource = { kind: 'shared', password: 'Shared1!' };
    const bad: PasswordSource = { kind: 'shared', password: 'two words ' };
    for (let i = 0; i < 3; i++) {
      expect(buildRow(row(['u', '+447700900123']), noPasswordColumn, good).problems).toEqual([]);
      expect(buildRow(row(['u', '']), noPasswordColumn, bad).problems.map((p) => [p.kind, p.column])).toEqual(
        [['invalid-password', null]],
      );
      expect(buildRow(row(['u', '4.41E+11'], 9, 3), noPasswordColumn, good).problems).toEqual([
        expect.objectContaining({ line: 9, index: 3, column: 'phone_number', kind: 'excel-phone' }),
      ]);
    }
  });
});
