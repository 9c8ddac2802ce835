/**
 * The names of the errors main raises itself (AppError) and puts in the IPC envelope, so the
 * renderer and the CLI can switch on a name the compiler knows. Cognito's own exception names
 * (UsernameExistsException…) and Node's system codes are not listed: they pass through the
 * envelope and the log as data, whatever AWS adds next.
 */
export const ERROR_NAMES = [
  // Requests, profiles and the keychain
  'InvalidRequest',
  'Forbidden',
  'ProfileNotFound',
  'DuplicateProfileName',
  'ProfilesUnreadable',
  'ProfilesCorrupt',
  'KeychainUnavailable',
  'LogEntryNotFound',
  // The database under the data folder (the log and the import jobs)
  'DatabaseCorrupt',
  'DatabaseReadOnly',
  'DatabaseUnavailable',
  'DiskFull',
  // Reading a CSV file and mapping its columns
  'FileNotFound',
  /** Not a file on disk: a folder, a device (/dev/zero) or a pipe (src/main/files/regular-file.ts). */
  'NotARegularFile',
  /** A file handle main never handed out (or one from before a restart): src/main/files/file-handles.ts. */
  'UnknownFile',
  /** The user did not confirm importing a dropped file. */
  'DropDeclined',
  'FileNotText',
  'EmptyFile',
  'UnsupportedEncoding',
  'MalformedCsv',
  'InvalidDelimiter',
  'NoHeader',
  'InvalidMapping',
  'MissingColumn',
  'DuplicateColumn',
  'TooManyColumns',
  'RecordTooLong',
  'FileUnreadable',
  // Passwords for imported rows
  'InvalidPassword',
  'InvalidPasswordPolicy',
  'PasswordNeeded',
  'PasswordSourceMismatch',
  // Import jobs
  'InvalidRate',
  'InvalidConcurrency',
  'JobNotFound',
  'JobRunning',
  'JobFinished',
  'JobCancelled',
  'NoFailedRows',
  'NoReport',
  'SourceMissing',
  'SourceChanged',
  'JobDamaged',
  // Browser mode: the page could not hand a chosen file over
  'FileNotHandedOver',
] as const;

export type ErrorName = (typeof ERROR_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_NAMES);

/** Whether an envelope's name is one of ours rather than Cognito's or an unexpected error's. */
export function isErrorName(name: string): name is ErrorName {
  return KNOWN.has(name);
}
