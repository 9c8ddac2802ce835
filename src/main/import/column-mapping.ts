/**
 * Which CSV column feeds which SignUp field. Headers are matched by name, forgiving case, spaces,
 * hyphens and camelCase (`Email`, `phone number`, `Phone_Number`, `E-mail`, `givenName`), plus
 * the header Cognito's GetCSVHeader produces for its own import jobs:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html
 */
import { AppError } from '../errors';
import {
  checkAttributeName,
  isStandardAttribute,
  STANDARD_ATTRIBUTES,
  type StandardAttribute,
} from '@shared/signup-rules';

export type MappingTarget = 'username' | 'password' | 'ignore' | StandardAttribute | `custom:${string}`;

export interface MappedColumn {
  /** 0-based position of the column in each record. */
  index: number;
  header: string;
  target: MappingTarget;
  /** False when nothing matched the header: it is ignored and listed in `unknown`. */
  known: boolean;
  /** Why a recognised column is ignored, or that the mapping came from an override. */
  note?: string | undefined;
}

export interface ColumnMapping {
  columns: MappedColumn[];
  /** Headers that matched nothing (ignored unless mapped with an override). */
  unknown: string[];
  /** Required targets no column feeds: `username`, and `password` when passwords come from a column. */
  missingRequired: Array<'username' | 'password'>;
  /** Targets fed by more than one column: the import cannot tell which one to send. */
  duplicates: Array<{ target: MappingTarget; headers: string[] }>;
}

/**
 * The most columns a file may have. A user list has a few dozen (Cognito's own import header has
 * 28); thousands mean the wrong file (or a one-line file with a runaway delimiter), and every
 * column costs work per row.
 */
export const MAX_COLUMNS = 1000;

/** COLUMN (header as written in the file) → target or 'ignore'. */
export type MappingOverrides = Readonly<Record<string, string>>;

/**
 * Columns of Cognito's CSV import header that SignUp cannot take, and why. SignUp writes only
 * attributes the app client may write; verification flags and MFA are not among them
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html).
 */
const NOT_FOR_SIGNUP: Readonly<Record<string, string>> = {
  email_verified:
    'Ignored: SignUp cannot mark an email as verified; the user confirms it with the code Cognito sends (or an administrator confirms the account).',
  phone_number_verified:
    'Ignored: SignUp cannot mark a phone number as verified; the user confirms it with the code Cognito sends.',
  'cognito:mfa_enabled': 'Ignored: SignUp cannot turn on MFA; the user sets it up after signing in.',
  sub: 'Ignored: Cognito assigns each user a new sub (UserSub) at sign-up.',
};

/** Normalised header → target. Keys are what `normalise` produces. */
const ALIASES: Readonly<Record<string, MappingTarget>> = {
  username: 'username',
  user_name: 'username',
  user: 'username',
  login: 'username',
  'cognito:username': 'username',
  password: 'password',
  pass: 'password',
  pwd: 'password',
  e_mail: 'email',
  email_address: 'email',
  e_mail_address: 'email',
  mail: 'email',
  phone: 'phone_number',
  phone_no: 'phone_number',
  mobile: 'phone_number',
  mobile_number: 'phone_number',
  mobile_phone: 'phone_number',
  cell_phone: 'phone_number',
  telephone: 'phone_number',
  first_name: 'given_name',
  firstname: 'given_name',
  forename: 'given_name',
  last_name: 'family_name',
  lastname: 'family_name',
  surname: 'family_name',
  full_name: 'name',
  date_of_birth: 'birthdate',
  dob: 'birthdate',
  birthday: 'birthdate',
  time_zone: 'zoneinfo',
  timezone: 'zoneinfo',
};

/**
 * `Phone Number`, `phone-number`, `PhoneNumber`, ` phone_number ` → `phone_number`.
 * The `custom:` and `cognito:` prefixes keep their colon.
 */
export function normaliseHeader(header: string): string {
  return header
    .replace(/\uFEFF/g, '')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** The target a header names, with a note when it is recognised but ignored; null when unknown. */
function matchHeader(header: string): { target: MappingTarget; note?: string } | null {
  const trimmed = header.trim();
  // Custom attribute names are case-sensitive in Cognito: keep the name after the prefix as written.
  const custom = /^\s*custom\s*:\s*(.*)$/i.exec(trimmed);
  if (custom) return { target: `custom:${custom[1] ?? ''}` };
  if (/^dev:custom:/i.test(trimmed))
    return {
      target: 'ignore',
      note: 'Ignored: developer-only attributes (dev:custom:) cannot be written by SignUp.',
    };
  const key = normaliseHeader(trimmed);
  const reason = NOT_FOR_SIGNUP[key];
  if (reason !== undefined) return { target: 'ignore', note: reason };
  if (key === 'username' || key === 'password' || isStandardAttribute(key)) return { target: key };
  const alias = ALIASES[key];
  if (alias !== undefined) return { target: alias };
  if (key.startsWith('cognito:'))
    return {
      target: 'ignore',
      note: 'Ignored: Cognito import-job columns other than cognito:username have no SignUp field.',
    };
  return null;
}

/** Parses one `--map COLUMN=ATTRIBUTE` argument. Attribute names contain no `=`, so the last one splits. */
export function parseMapOption(spec: string): [column: string, target: string] {
  const at = spec.lastIndexOf('=');
  if (at <= 0 || at === spec.length - 1)
    throw new AppError('InvalidMapping', `"${spec}" is not COLUMN=ATTRIBUTE.`, {
      hint: 'For example --map "Mobile=phone_number", --map "Dept=custom:department" or --map "Notes=ignore".',
    });
  return [spec.slice(0, at).trim(), spec.slice(at + 1).trim()];
}

function parseTarget(column: string, value: string): MappingTarget {
  const trimmed = value.trim();
  if (trimmed === 'ignore' || trimmed === 'username' || trimmed === 'password') return trimmed;
  if (isStandardAttribute(trimmed)) return trimmed;
  if (trimmed.startsWith('custom:')) {
    const problem = checkAttributeName(trimmed);
    if (problem === null) return trimmed as `custom:${string}`;
    throw new AppError('InvalidMapping', `Column "${column}": ${problem}`);
  }
  const matched = matchHeader(trimmed);
  if (matched !== null && matched.target !== 'ignore') return matched.target;
  throw new AppError(
    'InvalidMapping',
    `Column "${column}" cannot be mapped to "${value}": it is not a SignUp field.`,
    {
      hint: `Use username, password, ignore, custom:NAME or one of ${STANDARD_ATTRIBUTES.join(', ')}.`,
    },
  );
}

/**
 * Suggests a target for every column. Throws AppError when the first line is data rather than a
 * header (NoHeader), or when an override names a column the file does not have or a target
 * SignUp cannot take (InvalidMapping).
 */
export function suggestMapping(
  headers: readonly string[],
  overrides: MappingOverrides = {},
  options: { passwordColumnRequired?: boolean; maxColumns?: number } = {},
): ColumnMapping {
  const maxColumns = options.maxColumns ?? MAX_COLUMNS;
  if (headers.length > maxColumns)
    throw new AppError(
      'TooManyColumns',
      `The file has ${headers.length} columns; SignUp Desk reads at most ${maxColumns} — is this the right file?`,
      {
        hint: 'Choose the CSV export of your user list, or remove the columns you do not import.',
      },
    );
  const byHeader = new Map<string, MappingTarget>();
  for (const [column, value] of Object.entries(overrides)) {
    const found =
      headers.find((h) => h === column) ??
      headers.find((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    if (found === undefined)
      throw new AppError('InvalidMapping', `There is no column named "${column}" in this file.`, {
        hint: `The columns are: ${headers.map((h) => JSON.stringify(h)).join(', ')}.`,
      });
    byHeader.set(found, parseTarget(column, value));
  }

  const columns: MappedColumn[] = headers.map((header, index) => {
    const override = byHeader.get(header);
    if (override !== undefined) return { index, header, target: override, known: true, note: 'Set by you.' };
    if (header === '')
      return { index, header, target: 'ignore', known: true, note: 'Ignored: the column has no name.' };
    const matched = matchHeader(header);
    if (matched === null) return { index, header, target: 'ignore', known: false };
    if (matched.target.startsWith('custom:')) {
      const problem = checkAttributeName(matched.target);
      if (problem !== null) return { index, header, target: 'ignore', known: false, note: problem };
    }
    return {
      index,
      header,
      target: matched.target,
      known: true,
      ...(matched.note !== undefined && { note: matched.note }),
    };
  });

  if (!columns.some((c) => c.known && c.target !== 'ignore') && looksLikeData(headers))
    throw new AppError(
      'NoHeader',
      `The first line looks like data (${preview(headers)}), not column names.`,
      {
        hint: 'Add a first line naming the columns, for example: username,email,phone_number',
      },
    );

  // One list per target, appended to in place: copying it per column was quadratic in the
  // number of columns that feed the same target.
  const feeding = new Map<MappingTarget, string[]>();
  for (const column of columns) {
    if (column.target === 'ignore') continue;
    const list = feeding.get(column.target);
    if (list === undefined) feeding.set(column.target, [column.header]);
    else list.push(column.header);
  }
  const missingRequired: ColumnMapping['missingRequired'] = [];
  if (!feeding.has('username')) missingRequired.push('username');
  if (options.passwordColumnRequired === true && !feeding.has('password')) missingRequired.push('password');
  return {
    columns,
    unknown: columns.filter((c) => !c.known).map((c) => c.header),
    missingRequired,
    duplicates: [...feeding]
      .filter(([, list]) => list.length > 1)
      .map(([target, list]) => ({ target, headers: list })),
  };
}

/** Throws the one error that stops an import before any row is read; a mapping with only warnings passes. */
export function assertMappingUsable(mapping: ColumnMapping): void {
  if (mapping.missingRequired.length > 0) {
    const missing = mapping.missingRequired.join(' and ');
    throw new AppError('MissingColumn', `No column gives the ${missing}.`, {
      hint: `Name a column "${mapping.missingRequired[0]}", or map one with --map "COLUMN=${mapping.missingRequired[0]}".`,
    });
  }
  const duplicate = mapping.duplicates[0];
  if (duplicate !== undefined)
    throw new AppError(
      'DuplicateColumn',
      `${duplicate.headers.map((h) => `"${h}"`).join(' and ')} both give ${duplicate.target}; the import cannot tell which to send.`,
      { hint: `Ignore all but one, for example --map "${duplicate.headers[1] ?? ''}=ignore".` },
    );
}

const EMAILISH = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONEISH = /^\+?[\d\s().-]{7,}$/;
const NUMBERISH = /^-?\d+([.,]\d+)?(E[+-]?\d+)?$/i;
// Anchored at both ends, both alternatives: `2024-01-01Secret!` is not a date.
const DATEISH = /^(?:\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4})$/;

/**
 * A header row has names; a data row has values. When no cell names a known column, cells that
 * look like an email, phone, number or date mean the file starts with data.
 */
function looksLikeData(headers: readonly string[]): boolean {
  const cells = headers.map((h) => h.trim()).filter((h) => h !== '');
  if (cells.length === 0) return true; // ",,," is no header either
  return cells.some(looksLikeValue);
}

/** What kind of value a cell looks like, or null when it could be a column name. */
function valueKind(cell: string): string | null {
  if (EMAILISH.test(cell)) return 'an email address';
  if (DATEISH.test(cell)) return 'a date';
  if (PHONEISH.test(cell)) return 'a phone number';
  if (NUMBERISH.test(cell)) return 'a number';
  return null;
}

function looksLikeValue(cell: string): boolean {
  return valueKind(cell) !== null;
}

/**
 * Says which column gave the row away and what it looks like, never what it holds: the line is
 * data, and any of its cells may be a password (a date pattern once matched `2024-01-01Secret!`).
 */
function preview(headers: readonly string[]): string {
  for (const [index, header] of headers.entries()) {
    const kind = valueKind(header.trim());
    if (kind !== null) return `column ${index + 1} looks like ${kind}`;
  }
  return 'no column names';
}
