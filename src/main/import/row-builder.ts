/**
 * One CSV record → the SignUpInput the sender will send, plus every problem found in it, using the
 * same rules as the form (src/shared/signup-rules.ts) so a row that passes here passes there.
 */
import {
  checkAttributeName,
  checkAttributeValue,
  checkPassword,
  checkPhone,
  checkUsername,
  validateSignUpInput,
  type NameValue,
  type SignUpInput,
} from '@shared/signup-rules';
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
  | { kind: 'column' }
  | { kind: 'shared'; password: string }
  | { kind: 'generated'; policy: PasswordPolicy }
  /** Passwordless users: SignUp without a Password (docs/cognito.md#password). */
  | { kind: 'none' };

export interface BuiltRow {
  input: SignUpInput;
  problems: RowProblem[];
  /** True when `input.password` was generated for this row (the report may need to show it). */
  passwordGenerated: boolean;
}

/** Excel's scientific notation for a long number: 4.41E+11, 4.41235E+11. */
const SCIENTIFIC = /^\d(\.\d+)?E\+\d+$/i;

/**
 * What buildRow needs from a mapping, worked out once per mapping instead of once per row: the
 * attribute columns and their name checks (a column's attribute name is the same on every row).
 */
interface RowPlan {
  expected: number;
  username: { index: number; header: string } | null;
  password: { index: number; header: string } | null;
  attributes: Array<{ index: number; header: string; name: string; nameProblem: string | null }>;
  /** Two columns feed one attribute (assertMappingUsable refuses it): take the general path. */
  repeatedNames: boolean;
}

const plans = new WeakMap<ColumnMapping, RowPlan>();

function planFor(mapping: ColumnMapping): RowPlan {
  let plan = plans.get(mapping);
  if (plan !== undefined && plan.expected === mapping.columns.length) return plan;
  plan = {
    expected: mapping.columns.length,
    username: null,
    password: null,
    attributes: [],
    repeatedNames: false,
  };
  const names = new Set<string>();
  for (const column of mapping.columns) {
    if (column.target === 'ignore') continue;
    // The last column wins, as when the row was built field by field.
    if (column.target === 'username') plan.username = { index: column.index, header: column.header };
    else if (column.target === 'password') plan.password = { index: column.index, header: column.header };
    else {
      if (names.has(column.target)) plan.repeatedNames = true;
      names.add(column.target);
      plan.attributes.push({
        index: column.index,
        header: column.header,
        name: column.target,
        nameProblem: checkAttributeName(column.target),
      });
    }
  }
  plans.set(mapping, plan);
  return plan;
}

/** The last shared password checked, and the verdict: one check per import, not one per row. */
let checkedShared: { password: string; problem: string | null } | null = null;

function sharedPasswordProblem(password: string): string | null {
  if (checkedShared?.password !== password) checkedShared = { password, problem: checkPassword(password) };
  return checkedShared.problem;
}

function newProblem(
  row: CsvRow,
  column: string | null,
  kind: RowProblemKind,
  message: string,
  suggestion?: string,
): RowProblem {
  const problem: RowProblem = { line: row.line, index: row.index, column, kind, message };
  if (suggestion !== undefined) problem.suggestion = suggestion;
  return problem;
}

/** The problem with a phone_number value: Excel's mangling has its own kind and, often, the fix. */
function phoneProblem(row: CsvRow, column: string | null, value: string, fallback: string): RowProblem {
  const phone = checkPhone(value);
  const mangled = SCIENTIFIC.test(value) || (phone?.suggestion !== undefined && !value.startsWith('+'));
  return newProblem(
    row,
    column,
    mangled ? 'excel-phone' : 'invalid-attribute',
    phone?.message ?? fallback,
    phone?.suggestion,
  );
}

/**
 * Runs once per row of a million-row file, so it allocates nothing for a good row beyond the
 * SignUpInput itself: the checks are the form's own (checkUsername, checkAttributeValue…), called
 * field by field, and a problem (with its path-free message) is made only when there is one.
 */
export function buildRow(row: CsvRow, mapping: ColumnMapping, passwords: PasswordSource): BuiltRow {
  const plan = planFor(mapping);
  if (plan.repeatedNames) return buildRowGeneral(row, mapping, passwords);
  const problems: RowProblem[] = [];
  const cells = row.cells;

  if (isRagged(cells, plan.expected))
    problems.push(
      newProblem(
        row,
        null,
        'ragged-row',
        `This row has ${cells.length} cells but the header has ${plan.expected}: a value is missing or a delimiter or quote is out of place.`,
      ),
    );

  // Spreadsheet cells often carry stray spaces around values; Cognito rejects them in usernames,
  // emails and phones, and nobody means them.
  const username = plan.username === null ? '' : (cells[plan.username.index] ?? '').trim();
  const usernameColumn = plan.username?.header ?? null;
  const passwordColumn = plan.password?.header ?? null;

  let password: string | undefined;
  let passwordGenerated = false;
  let passwordMessage: string | null;
  if (passwords.kind === 'none') {
    password = undefined;
    passwordMessage = null;
  } else if (passwords.kind === 'shared') {
    password = passwords.password;
    passwordMessage = sharedPasswordProblem(password);
  } else if (passwords.kind === 'generated') {
    password = generatePassword(passwords.policy);
    passwordGenerated = true;
    passwordMessage = checkPassword(password);
  } else {
    // Never trimmed: silently changing a password would create an account nobody can sign in to.
    password = plan.password === null ? '' : (cells[plan.password.index] ?? '');
    passwordMessage = checkPassword(password);
  }
  const passwordFromColumn = passwords.kind === 'column';

  if (username === '')
    problems.push(newProblem(row, usernameColumn, 'missing-value', 'The username is empty.'));
  if (passwordFromColumn && password === '')
    problems.push(newProblem(row, passwordColumn, 'missing-value', 'The password is empty.'));
  if (username !== '') {
    const message = checkUsername(username);
    if (message !== null) problems.push(newProblem(row, usernameColumn, 'invalid-username', message));
  }
  if (passwordMessage !== null && !(passwordFromColumn && password === ''))
    problems.push(
      newProblem(row, passwordFromColumn ? passwordColumn : null, 'invalid-password', passwordMessage),
    );

  const attributes: NameValue[] = [];
  for (const column of plan.attributes) {
    const value = (cells[column.index] ?? '').trim();
    // An empty cell is an attribute this user does not have, not an error.
    if (value === '') continue;
    attributes.push({ name: column.name, value });
    if (column.nameProblem !== null)
      problems.push(newProblem(row, column.header, 'invalid-attribute', column.nameProblem));
    const message = checkAttributeValue(column.name, value);
    if (message === null) continue;
    problems.push(
      column.name === 'phone_number'
        ? phoneProblem(row, column.header, value, message)
        : newProblem(row, column.header, 'invalid-attribute', message),
    );
  }

  const input: SignUpInput = { username, password, attributes, validationData: [], clientMetadata: [] };
  return { input, problems, passwordGenerated };
}

/**
 * Trailing empty cells (a spreadsheet's stray delimiters) are harmless; anything else means the
 * columns shifted and values would go to the wrong attribute.
 */
function isRagged(cells: string[], expected: number): boolean {
  if (cells.length < expected) return true;
  for (let i = expected; i < cells.length; i++) if ((cells[i] as string).trim() !== '') return true;
  return false;
}

/**
 * The field-by-field build through validateSignUpInput, for a mapping where two columns feed one
 * attribute (whether that is a problem depends on which of them the row fills).
 */
function buildRowGeneral(row: CsvRow, mapping: ColumnMapping, passwords: PasswordSource): BuiltRow {
  const problems: RowProblem[] = [];
  const expected = mapping.columns.length;
  if (isRagged(row.cells, expected))
    problems.push(
      newProblem(
        row,
        null,
        'ragged-row',
        `This row has ${row.cells.length} cells but the header has ${expected}: a value is missing or a delimiter or quote is out of place.`,
      ),
    );

  let username = '';
  let usernameColumn: string | null = null;
  let password: string | undefined = '';
  let passwordColumn: string | null = null;
  const attributes: NameValue[] = [];
  const attributeColumns: string[] = [];
  for (const column of mapping.columns) {
    if (column.target === 'ignore') continue;
    const raw = row.cells[column.index] ?? '';
    if (column.target === 'password') {
      password = raw;
      passwordColumn = column.header;
      continue;
    }
    const value = raw.trim();
    if (column.target === 'username') {
      username = value;
      usernameColumn = column.header;
    } else if (value !== '') {
      attributes.push({ name: column.target, value });
      attributeColumns.push(column.header);
    }
  }

  let passwordGenerated = false;
  if (passwords.kind === 'shared') password = passwords.password;
  else if (passwords.kind === 'none') password = undefined;
  else if (passwords.kind === 'generated') {
    password = generatePassword(passwords.policy);
    passwordGenerated = true;
  }
  const passwordFromColumn = passwords.kind === 'column';

  if (username === '')
    problems.push(newProblem(row, usernameColumn, 'missing-value', 'The username is empty.'));
  if (passwordFromColumn && password === '')
    problems.push(newProblem(row, passwordColumn, 'missing-value', 'The password is empty.'));

  const input: SignUpInput = { username, password, attributes, validationData: [], clientMetadata: [] };
  for (const [path, message] of Object.entries(validateSignUpInput(input))) {
    if (path === 'username') {
      if (username !== '') problems.push(newProblem(row, usernameColumn, 'invalid-username', message));
    } else if (path === 'password') {
      if (!(passwordFromColumn && password === ''))
        problems.push(
          newProblem(row, passwordFromColumn ? passwordColumn : null, 'invalid-password', message),
        );
    } else {
      const match = /^attributes\.(\d+)\.(name|value)$/.exec(path);
      const i = Number(match?.[1] ?? -1);
      const attribute = attributes[i];
      const column = attributeColumns[i] ?? null;
      if (attribute?.name === 'phone_number' && match?.[2] === 'value')
        problems.push(phoneProblem(row, column, attribute.value, message));
      else problems.push(newProblem(row, column, 'invalid-attribute', message));
    }
  }
  return { input, problems, passwordGenerated };
}
