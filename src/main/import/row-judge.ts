/**
 * One judge for a file's rows, used by the dry run, the counting pass and the sending pass, so
 * the counts the dry run shows are the rows a job sends: the row builder's checks plus the
 * duplicate-username rule (its one message, below).
 */
import type { ColumnMapping } from './column-mapping';
import type { CsvRow } from './csv-source';
import { buildRow, type BuiltRow, type PasswordSource } from './row-builder';
import { FirstLineIndex } from './username-index';

export interface RowJudgeOptions {
  mapping: ColumnMapping;
  /** What rows are built with (see judgingPasswordSource: no generated password per judged row). */
  passwords: PasswordSource;
  /**
   * Pools created since 2020 treat usernames case-insensitively by default
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-case-sensitivity.html),
   * so `Alice` and `alice` are the same user unless the pool says otherwise.
   */
  caseSensitiveUsernames: boolean;
}

/** Builds the row and adds a problem when its username came earlier in the file. */
export type RowJudge = (row: CsvRow) => BuiltRow;

export function duplicateUsernameMessage(username: string, firstLine: number): string {
  return `"${username}" is already used on line ${firstLine}; Cognito would refuse the second one (UsernameExistsException).`;
}

export function createRowJudge(options: RowJudgeOptions): RowJudge {
  const { mapping, passwords } = options;
  // Username → line of its first row: what grows with the file.
  const firstLine = new FirstLineIndex(options.caseSensitiveUsernames);
  const usernameColumn = mapping.columns.find((c) => c.target === 'username')?.header ?? null;
  return (row) => {
    const built = buildRow(row, mapping, passwords);
    const username = built.input.username;
    if (username !== '') {
      const seen = firstLine.firstLineOrAdd(username, row.line);
      if (seen !== -1)
        built.problems.push({
          line: row.line,
          index: row.index,
          column: usernameColumn,
          kind: 'duplicate-username',
          message: duplicateUsernameMessage(username, seen),
        });
    }
    return built;
  };
}
