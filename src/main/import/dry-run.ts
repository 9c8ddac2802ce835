/**
 * The dry run: every row of the file checked before anything is sent — the form's rules, ragged
 * rows, Excel-mangled phones, empty required values and duplicate usernames — in one streaming pass.
 */
import { AppError } from '../errors';
import type { ColumnMapping, MappingOverrides } from './column-mapping';
import { readCsvRowBatches, type CsvDelimiter, type CsvEncoding } from './csv-source';
import { prepareImportPlan, type ImportPlan } from './import-plan';
import { judgingPasswordSource } from './password-source';
import { createRowJudge } from './row-judge';
import { ROW_PROBLEM_KINDS, type PasswordSource, type RowProblem, type RowProblemKind } from './row-builder';

export { FirstLineIndex } from './username-index';

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
  const plan = await prepareImportPlan(path, {
    passwordSource: options.passwords,
    delimiter: options.delimiter,
    overrides: options.overrides,
  });
  return dryRunPlan(plan, options);
}

/** The dry run of a prepared plan (its password source already checked). */
export async function dryRunPlan(
  plan: ImportPlan,
  options: Omit<DryRunOptions, 'passwords' | 'delimiter' | 'overrides'>,
): Promise<DryRunResult> {
  const { mapping } = plan;
  const judge = createRowJudge({
    mapping,
    passwords: judgingPasswordSource(plan.passwordSource),
    caseSensitiveUsernames: options.caseSensitiveUsernames === true,
  });

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
  let rows = 0;
  let invalid = 0;

  let nextProgress = PROGRESS_EVERY;
  for await (const batch of readCsvRowBatches(plan.path, {
    encoding: plan.encoding,
    delimiter: plan.delimiter,
    ...(options.signal !== undefined && { signal: options.signal }),
  })) {
    for (const row of batch) {
      rows++;
      const built = judge(row);
      if (built.problems.length > 0) {
        invalid++;
        for (const problem of built.problems) keep(problem);
      }
      if (rows === nextProgress) {
        options.onProgress?.(rows);
        nextProgress += PROGRESS_EVERY;
      }
    }
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
    encoding: plan.encoding,
    delimiter: plan.delimiter,
    headers: plan.headers,
    mapping,
  };
}
