/**
 * The CLI's exit codes, so a pipeline can branch on what happened without parsing text.
 * 1 is Cognito refusing this one user; 3 is "nothing will work until the setup is fixed".
 */
import { isErrorName, type ErrorName, type Outcome } from '@shared/contract';
import type { ApiErrorShape } from '@shared/envelope';

export const EXIT = {
  /** The user was created (or the command did what it was asked). */
  ok: 0,
  /** Cognito refused this sign-up: the user exists, or Cognito rejected the input. */
  refused: 1,
  /** Invalid input or wrong usage: nothing was sent. */
  usage: 2,
  /** Configuration or connection problem: profile not found, keychain unavailable, bad secret, network. */
  configuration: 3,
  /** Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention): an import paused cleanly. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForOutcome(outcome: Outcome): ExitCode {
  switch (outcome) {
    case 'created':
      return EXIT.ok;
    case 'exists':
    case 'rejected':
      return EXIT.refused;
    case 'invalid':
      return EXIT.usage;
    case 'error':
      return EXIT.configuration;
  }
}

/**
 * What each of our errors means to a script: something in its input or command line (2), or the
 * setup around it (3). Checked against every ErrorName, so a new error cannot ship without a code.
 */
export const EXIT_FOR_ERROR = {
  InvalidRequest: EXIT.usage,
  Forbidden: EXIT.configuration,
  ProfileNotFound: EXIT.configuration,
  DuplicateProfileName: EXIT.usage,
  ProfilesUnreadable: EXIT.configuration,
  ProfilesCorrupt: EXIT.configuration,
  KeychainUnavailable: EXIT.configuration,
  LogEntryNotFound: EXIT.configuration,
  DatabaseCorrupt: EXIT.configuration,
  DatabaseReadOnly: EXIT.configuration,
  DatabaseUnavailable: EXIT.configuration,
  DiskFull: EXIT.configuration,
  FileNotFound: EXIT.usage,
  NotARegularFile: EXIT.usage,
  UnknownFile: EXIT.usage,
  DropDeclined: EXIT.usage,
  FileNotText: EXIT.usage,
  EmptyFile: EXIT.usage,
  UnsupportedEncoding: EXIT.usage,
  MalformedCsv: EXIT.usage,
  InvalidDelimiter: EXIT.usage,
  NoHeader: EXIT.usage,
  InvalidMapping: EXIT.usage,
  MissingColumn: EXIT.usage,
  DuplicateColumn: EXIT.usage,
  TooManyColumns: EXIT.usage,
  RecordTooLong: EXIT.usage,
  FileUnreadable: EXIT.usage,
  InvalidPassword: EXIT.usage,
  InvalidPasswordPolicy: EXIT.usage,
  PasswordNeeded: EXIT.usage,
  PasswordSourceMismatch: EXIT.usage,
  InvalidRate: EXIT.usage,
  InvalidConcurrency: EXIT.usage,
  JobNotFound: EXIT.usage,
  JobRunning: EXIT.usage,
  JobFinished: EXIT.usage,
  JobCancelled: EXIT.usage,
  NoFailedRows: EXIT.usage,
  NoReport: EXIT.usage,
  SourceMissing: EXIT.usage,
  SourceChanged: EXIT.usage,
  JobDamaged: EXIT.configuration,
  FileNotHandedOver: EXIT.usage,
} as const satisfies Record<ErrorName, ExitCode>;

/**
 * The exit code for a failure reported as an error. A request refused field by field is the
 * caller's input; a name that is not ours (Cognito's, the network's, an unexpected error) is
 * `otherwise`: a connection or setup problem unless the command knows better.
 */
export function exitCodeForError(
  shape: Pick<ApiErrorShape, 'name' | 'fields'>,
  otherwise: ExitCode = EXIT.configuration,
): ExitCode {
  if (shape.fields !== undefined) return EXIT.usage;
  return isErrorName(shape.name) ? EXIT_FOR_ERROR[shape.name] : otherwise;
}
