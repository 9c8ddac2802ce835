/**
 * The dry run: every row of the file checked before anything is sent — the form's rules, ragged
 * rows, Excel-mangled phones, empty required values and duplicate usernames — in one streaming pass.
 */
import { checkPassword } from '@shared/signup-rules';
import { AppError } from '../errors';
import {
  assertMappingUsable,
  suggestMapping,
  type ColumnMapping,
  type MappingOverrides,
} from './column-mapping';
import { inspectCsv, readCsvRows, type CsvDelimiter, type CsvEncoding } from './csv-source';
import { assertPasswordPolicy, generatePassword } from './password-generator';
import {
  buildRow,
  ROW_PROBLEM_KINDS,
  type PasswordSource,
  type RowProblem,
  type RowProblemKind,
} from './row-builder';

export interface DryRunOptions {
  passwords: PasswordSource;
  delimiter?: CsvDelimiter;
  overrides?: MappingOverrides;
  /**
   * Pools created since 2020 treat usernames case-insensitively by default
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-case-sensitivity.html),
   * so `Alice` and `alice` are the same user unless the pool says otherwise.
   */
  caseSensitiveUsernames?: boolean;
  /** How many problems to keep with their details; counts per kind stay exact beyond it. */
  maxProblems?: number;
  /** Called every PROGRESS_EVERY rows with the number of rows checked so far. */
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
}

export interface DryRunResult {
  rows: number;
  valid: number;
  invalid: number;
  /** The first `maxProblems` problems, in file order. */
  problems: RowProblem[];
  /** Exact counts per kind, however many problems were kept. */
  problemCounts: Record<RowProblemKind, number>;
  problemsTruncated: boolean;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  mapping: ColumnMapping;
}

export const DEFAULT_MAX_PROBLEMS = 1000;
const PROGRESS_EVERY = 10_000;

export async function dryRun(path: string, options: DryRunOptions): Promise<DryRunResult> {
  const inspection = await inspectCsv(path, {
    ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
  });
  const mapping = suggestMapping(inspection.headers, options.overrides, {
    passwordColumnRequired: options.passwords.kind === 'column',
  });
  assertMappingUsable(mapping);
  const passwords = checkedPasswordSource(options.passwords);

  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const problems: RowProblem[] = [];
  const problemCounts = Object.fromEntries(ROW_PROBLEM_KINDS.map((kind) => [kind, 0])) as Record<
    RowProblemKind,
    number
  >;
  const keep = (problem: RowProblem): void => {
    problemCounts[problem.kind]++;
    if (problems.length < maxProblems) problems.push(problem);
  };
  // Username → line of its first row. For 1,000,000 rows of ~20-character usernames this Map holds
  // roughly 100 MB, the one part of the dry run that grows with the file; measured in dry-run.test.ts.
  const firstLine = new Map<string, number>();
  let rows = 0;
  let invalid = 0;

  for await (const row of readCsvRows(path, {
    encoding: inspection.encoding,
    delimiter: inspection.delimiter,
    ...(options.signal !== undefined && { signal: options.signal }),
  })) {
    rows++;
    const built = buildRow(row, mapping, passwords);
    const username = built.input.username;
    if (username !== '') {
      const key = options.caseSensitiveUsernames === true ? username : username.toLowerCase();
      const seen = firstLine.get(key);
      if (seen === undefined) firstLine.set(key, row.line);
      else
        built.problems.push({
          line: row.line,
          index: row.index,
          column: mapping.columns.find((c) => c.target === 'username')?.header ?? null,
          kind: 'duplicate-username',
          message: `"${username}" is already used on line ${seen}; Cognito would refuse the second one (UsernameExistsException).`,
        });
    }
    if (built.problems.length > 0) invalid++;
    for (const problem of built.problems) keep(problem);
    if (options.onProgress !== undefined && rows % PROGRESS_EVERY === 0) options.onProgress(rows);
  }
  if (rows === 0)
    throw new AppError('EmptyFile', 'This file has a header line but no users after it.', {
      hint: 'Add one user per line after the header, or choose the file that holds them.',
    });
  options.onProgress?.(rows);

  return {
    rows,
    valid: rows - invalid,
    invalid,
    problems,
    problemCounts,
    problemsTruncated: problems.length < Object.values(problemCounts).reduce((a, b) => a + b, 0),
    encoding: inspection.encoding,
    delimiter: inspection.delimiter,
    headers: inspection.headers,
    mapping,
  };
}

/**
 * A shared password is checked once (one clear error instead of the same problem on every row,
 * with no echo of the value). Generated passwords are valid by construction, so the dry run checks
 * the policy and uses one sample instead of drawing a million crypto-random passwords for nothing.
 */
function checkedPasswordSource(source: PasswordSource): PasswordSource {
  if (source.kind === 'shared') {
    const problem = checkPassword(source.password);
    if (problem !== null)
      throw new AppError('InvalidPassword', `The password for every row is not usable: ${problem}`);
    return source;
  }
  if (source.kind === 'generated') {
    assertPasswordPolicy(source.policy);
    return { kind: 'shared', password: generatePassword(source.policy) };
  }
  return source;
}
