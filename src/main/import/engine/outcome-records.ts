/**
 * What a row's outcome is recorded as, built in one place for every outcome: the row's state for
 * the job table, its log entry and its report line, which must agree (the report is rebuilt from
 * the log after a kill: report-repair.ts).
 */
import type { ClassifiedError } from '../../cognito/errors';
import { deliveryLogFields, type SignUpCallResult } from '../../cognito/sign-up-call';
import type { NewLogEntry } from '../../log/log-store';
import type { ConnectionMetadata, OutcomeWithEntry } from '../job-store';
import type { ReportRow } from '../report-writer';

export const INTERRUPTED_NOTE = 'exists — possibly created by the interrupted attempt';
export const PASSWORD_LOST_NOTE =
  'created — password lost, reset it: the interrupted attempt created this user with a generated password that could not be recorded';
export const UNANSWERED_NOTE =
  'exists — possibly created by an earlier attempt of this job that got no answer';
/** LimitExceededException on SignUp: the user exists UNCONFIRMED, its code still has to be sent. */
export const CODE_NOT_SENT_NOTE =
  'created — code not sent (LimitExceededException: the email/SMS limit is used up); send it later with ResendConfirmationCode';
export const STOPPED_HERE_NOTE =
  'The job stopped on this answer; the row is sent again when the job is resumed.';

/** A row's outcome with its log entry and report line, committed together (outcome-committer.ts). */
export interface RowRecord extends OutcomeWithEntry {
  reportRow: ReportRow;
}

/** The job's part of its log entries, built once per run (not per row). */
export type JobEntryBase = Omit<NewLogEntry, 'outcome' | 'time' | 'rowNumber' | 'username'>;

export function jobEntryBase(jobId: string, c: ConnectionMetadata): JobEntryBase {
  return {
    source: 'import',
    jobId,
    ...(c.profileId !== undefined && { profileId: c.profileId }),
    ...(c.profileName !== undefined && { profileName: c.profileName }),
    region: c.region,
    ...(c.userPoolId !== undefined && { userPoolId: c.userPoolId }),
    clientId: c.clientId,
  };
}

/** The row being recorded: where it is in the file, who it signs up, and when it ended. */
export interface RecordedRow {
  index: number;
  line: number;
  username: string;
  /** ISO time of the outcome. */
  time: string;
}

type Created = Extract<SignUpCallResult, { kind: 'ok' }>;

function errorFields(error: ClassifiedError): Pick<NewLogEntry, 'errorName' | 'errorMessage' | 'requestId'> {
  return {
    errorName: error.name,
    errorMessage: error.message,
    ...(error.requestId !== undefined && { requestId: error.requestId }),
  };
}

export function createdRecord(
  base: JobEntryBase,
  row: RecordedRow,
  result: Created,
  generatedPassword: string | undefined,
): RowRecord {
  const { index, line, username, time } = row;
  const delivery = result.codeDeliveryDetails;
  return {
    outcome: { index, line, username, state: 'created' },
    entry: {
      ...base,
      rowNumber: line,
      username,
      time,
      outcome: 'created',
      userSub: result.userSub,
      userConfirmed: result.userConfirmed,
      ...deliveryLogFields(delivery),
    },
    reportRow: {
      line,
      index,
      username,
      outcome: 'created',
      userSub: result.userSub,
      userConfirmed: result.userConfirmed,
      ...(delivery?.deliveryMedium !== undefined && { deliveryMedium: delivery.deliveryMedium }),
      ...(delivery?.destination !== undefined && { deliveryDestination: delivery.destination }),
      ...(generatedPassword !== undefined && { generatedPassword }),
    },
  };
}

/**
 * LimitExceededException on SignUp: "the user is successfully created and is in an UNCONFIRMED
 * state" (docs/cognito.md#errors) but no code went out. Recorded as created with the error's name
 * kept on the entry and the report line: created + LimitExceededException is how they are listed.
 */
export function createdCodeNotSentRecord(
  base: JobEntryBase,
  row: RecordedRow,
  error: ClassifiedError,
  generatedPassword: string | undefined,
): RowRecord {
  const { index, line, username, time } = row;
  const fields = errorFields(error);
  return {
    // The stored row's message is the note, so a report rebuilt from the store says it too.
    outcome: {
      index,
      line,
      username,
      state: 'created',
      errorName: error.name,
      errorMessage: CODE_NOT_SENT_NOTE,
    },
    entry: {
      ...base,
      rowNumber: line,
      username,
      time,
      outcome: 'created',
      userConfirmed: false,
      ...fields,
      note: CODE_NOT_SENT_NOTE,
    },
    reportRow: {
      line,
      index,
      username,
      outcome: 'created',
      userConfirmed: false,
      errorName: error.name,
      errorMessage: CODE_NOT_SENT_NOTE,
      ...(generatedPassword !== undefined && { generatedPassword }),
    },
  };
}

/** UsernameExists: the user is there; `note` says when an attempt of ours may have created it. */
export function existsRecord(
  base: JobEntryBase,
  row: RecordedRow,
  error: ClassifiedError,
  note: string | undefined,
): RowRecord {
  const { index, line, username, time } = row;
  const fields = errorFields(error);
  return {
    outcome: { index, line, username, state: 'exists', ...fields },
    entry: {
      ...base,
      rowNumber: line,
      username,
      time,
      outcome: 'exists',
      ...fields,
      ...(note !== undefined && { note }),
    },
    reportRow: {
      line,
      index,
      username,
      outcome: 'exists',
      errorName: error.name,
      errorMessage: note ?? error.message,
    },
  };
}

/** Rejected (a row error: `gaveUpAfter` null) or an error that outlasted `gaveUpAfter` attempts. */
export function failedRecord(
  base: JobEntryBase,
  row: RecordedRow,
  error: ClassifiedError,
  gaveUpAfter: number | null,
): RowRecord {
  const { index, line, username, time } = row;
  const fields = errorFields(error);
  return {
    outcome: { index, line, username, state: 'failed', ...fields },
    entry: {
      ...base,
      rowNumber: line,
      username,
      time,
      outcome: gaveUpAfter === null ? 'rejected' : 'error',
      ...fields,
      ...(gaveUpAfter !== null && { note: `Gave up after ${gaveUpAfter} attempts.` }),
    },
    reportRow: {
      line,
      index,
      username,
      outcome: 'failed',
      errorName: error.name,
      errorMessage: error.message,
    },
  };
}

/** A row the checks refused: never sent. */
export function invalidRecord(base: JobEntryBase, row: RecordedRow, message: string): RowRecord {
  const { index, line, username, time } = row;
  return {
    outcome: { index, line, username, state: 'invalid', errorName: 'InvalidRow', errorMessage: message },
    entry: {
      ...base,
      rowNumber: line,
      username,
      time,
      outcome: 'invalid',
      errorName: 'InvalidRow',
      errorMessage: message,
    },
    reportRow: { line, index, username, outcome: 'invalid', errorName: 'InvalidRow', errorMessage: message },
  };
}

/** The answer that stopped the job: logged, but the row keeps no outcome (it is sent on resume). */
export function stoppedHereEntry(base: JobEntryBase, row: RecordedRow, error: ClassifiedError): NewLogEntry {
  return {
    ...base,
    rowNumber: row.line,
    username: row.username,
    time: row.time,
    outcome: 'error',
    ...errorFields(error),
    note: STOPPED_HERE_NOTE,
  };
}
