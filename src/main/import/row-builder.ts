/**
 * One CSV record → the SignUpInput the sender will send, plus every problem found in it, using the
 * same rules as the form (src/shared/signup-rules.ts) so a row that passes here passes there.
 */
import { checkPhone, validateSignUpInput, type NameValue, type SignUpInput } from '@shared/signup-rules';
import type { ColumnMapping } from './column-mapping';
import type { CsvRow } from './csv-source';
import { generatePassword, type PasswordPolicy } from './password-generator';

export type RowProblemKind =
  | 'invalid-username'
  | 'invalid-password'
  | 'invalid-attribute'
  | 'excel-phone'
  | 'duplicate-username'
  | 'missing-value'
  | 'ragged-row';

export const ROW_PROBLEM_KINDS: readonly RowProblemKind[] = [
  'invalid-username',
  'invalid-password',
  'invalid-attribute',
  'excel-phone',
  'duplicate-username',
  'missing-value',
  'ragged-row',
];

export interface RowProblem {
  /** Physical line (1-based) where the record starts. */
  line: number;
  /** 0-based data row. */
  index: number;
  /** Header of the column at fault; null when the whole row is (ragged) or no column is involved. */
  column: string | null;
  kind: RowProblemKind;
  /** Says what to fix. Never contains a password. */
  message: string;
  /** A corrected value, when it can be given with confidence (Excel-mangled phones). */
  suggestion?: string;
}

/** Where each row's password comes from. A shared password is read by the CLI from an env var or stdin. */
export type PasswordSource =
  { kind: 'column' } | { kind: 'shared'; password: string } | { kind: 'generated'; policy: PasswordPolicy };

export interface BuiltRow {
  input: SignUpInput;
  problems: RowProblem[];
  /** True when `input.password` was generated for this row (the report may need to show it). */
  passwordGenerated: boolean;
}

/** Excel's scientific notation for a long number: 4.41E+11, 4.41235E+11. */
const SCIENTIFIC = /^\d(\.\d+)?E\+\d+$/i;

export function buildRow(row: CsvRow, mapping: ColumnMapping, passwords: PasswordSource): BuiltRow {
  const problems: RowProblem[] = [];
  const problem = (
    column: string | null,
    kind: RowProblemKind,
    message: string,
    suggestion?: string,
  ): void => {
    problems.push({
      line: row.line,
      index: row.index,
      column,
      kind,
      message,
      ...(suggestion !== undefined && { suggestion }),
    });
  };

  const expected = mapping.columns.length;
  const extra = row.cells.slice(expected);
  // Trailing empty cells (a spreadsheet's stray delimiters) are harmless; anything else means the
  // columns shifted and values would go to the wrong attribute.
  if (row.cells.length < expected || extra.some((cell) => cell.trim() !== ''))
    problem(
      null,
      'ragged-row',
      `This row has ${row.cells.length} cells but the header has ${expected}: a value is missing or a delimiter or quote is out of place.`,
    );

  let username = '';
  let usernameColumn: string | null = null;
  let password = '';
  let passwordColumn: string | null = null;
  const attributes: NameValue[] = [];
  const attributeColumns: string[] = [];
  for (const column of mapping.columns) {
    if (column.target === 'ignore') continue;
    const raw = row.cells[column.index] ?? '';
    if (column.target === 'password') {
      // Never trimmed: silently changing a password would create an account nobody can sign in to.
      password = raw;
      passwordColumn = column.header;
      continue;
    }
    // Spreadsheet cells often carry stray spaces around values; Cognito rejects them in usernames,
    // emails and phones, and nobody means them.
    const value = raw.trim();
    if (column.target === 'username') {
      username = value;
      usernameColumn = column.header;
    } else if (value !== '') {
      // An empty cell is an attribute this user does not have, not an error.
      attributes.push({ name: column.target, value });
      attributeColumns.push(column.header);
    }
  }

  let passwordGenerated = false;
  if (passwords.kind === 'shared') password = passwords.password;
  else if (passwords.kind === 'generated') {
    password = generatePassword(passwords.policy);
    passwordGenerated = true;
  }
  const passwordFromColumn = passwords.kind === 'column';

  if (username === '') problem(usernameColumn, 'missing-value', 'The username is empty.');
  if (passwordFromColumn && password === '')
    problem(passwordColumn, 'missing-value', 'The password is empty.');

  const input: SignUpInput = { username, password, attributes, validationData: [], clientMetadata: [] };
  for (const [path, message] of Object.entries(validateSignUpInput(input))) {
    if (path === 'username') {
      if (username !== '') problem(usernameColumn, 'invalid-username', message);
    } else if (path === 'password') {
      if (!(passwordFromColumn && password === ''))
        problem(passwordFromColumn ? passwordColumn : null, 'invalid-password', message);
    } else {
      const match = /^attributes\.(\d+)\.(name|value)$/.exec(path);
      const i = Number(match?.[1] ?? -1);
      const attribute = attributes[i];
      const column = attributeColumns[i] ?? null;
      if (attribute?.name === 'phone_number' && match?.[2] === 'value') {
        const phone = checkPhone(attribute.value);
        const mangled =
          SCIENTIFIC.test(attribute.value) ||
          (phone?.suggestion !== undefined && !attribute.value.startsWith('+'));
        problem(
          column,
          mangled ? 'excel-phone' : 'invalid-attribute',
          phone?.message ?? message,
          phone?.suggestion,
        );
      } else problem(column, 'invalid-attribute', message);
    }
  }
  return { input, problems, passwordGenerated };
}
