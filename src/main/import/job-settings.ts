/**
 * The JSON columns of import_jobs: a job's settings and its stop reason, as written and as read
 * back. Read back through a schema, not trusted: the database outlives the code that wrote it, and
 * a value that no longer fits would otherwise surface as a confusing failure deep in a resumed run.
 * Shapes that cross IPC come from the contract; the rest are main's own, typed to the modules that
 * use them.
 */
import { DelimiterSchema, PasswordPolicySchema, StopReasonSchema } from '@shared/contract';
import { isStandardAttribute } from '@shared/signup-rules';
import { z } from 'zod';
import { AppError } from '../errors';
import type { MappingTarget } from './column-mapping';
import type { CsvEncoding } from './csv-source';

export type StopReason = z.infer<typeof StopReasonSchema>;

/** Where the job sends: a profile's settings without its secret (resolved at start/resume). */
const ConnectionMetadataSchema = z.object({
  region: z.string(),
  clientId: z.string(),
  userPoolId: z.string().optional(),
  endpoint: z.string().optional(),
  profileId: z.string().optional(),
  profileName: z.string().optional(),
  /**
   * The profile's sign-up budget: which account it shares (quotaAccountKey) and the quota. Jobs
   * stored before these existed read back without them: region + endpoint, and AWS's default 50.
   */
  accountId: z.string().optional(),
  userCreationQuota: z.number().int().positive().optional(),
});
export type ConnectionMetadata = z.infer<typeof ConnectionMetadataSchema>;

/** How passwords are obtained, as stored: a shared password itself is never stored. */
const StoredPasswordSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column') }),
  z.object({ kind: z.literal('shared') }),
  z.object({ kind: z.literal('generated'), policy: PasswordPolicySchema }),
  z.object({ kind: z.literal('none') }),
]);
export type StoredPasswordSource = z.infer<typeof StoredPasswordSourceSchema>;

const isMappingTarget = (value: unknown): value is MappingTarget =>
  typeof value === 'string' &&
  (value === 'username' ||
    value === 'password' ||
    value === 'ignore' ||
    isStandardAttribute(value) ||
    value.startsWith('custom:'));
const MappingTargetSchema = z.custom<MappingTarget>(isMappingTarget, 'not a SignUp field');

/** The mapping the job was started with (column-mapping.ts ColumnMapping), kept so a resume sends the same fields. */
const ColumnMappingSchema = z.object({
  columns: z.array(
    z.object({
      index: z.number().int(),
      header: z.string(),
      target: MappingTargetSchema,
      known: z.boolean(),
      note: z.string().optional(),
    }),
  ),
  unknown: z.array(z.string()),
  missingRequired: z.array(z.enum(['username', 'password'])),
  duplicates: z.array(z.object({ target: MappingTargetSchema, headers: z.array(z.string()) })),
});

const JobSettingsSchema = z.object({
  connection: ConnectionMetadataSchema,
  overrides: z.record(z.string(), z.string()),
  mapping: ColumnMappingSchema,
  delimiter: DelimiterSchema,
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']) satisfies z.ZodType<CsvEncoding>,
  passwordSource: StoredPasswordSourceSchema,
  /** Requests per second (the cap; 0 for none) and parallel requests. */
  rate: z.number(),
  concurrency: z.number(),
  /**
   * The user left parallelism to the engine: it follows the observed latency (up to
   * MAX_CONCURRENCY) and `concurrency` is only where it starts. Absent (jobs stored before it
   * existed) = `concurrency` is a hard limit.
   */
  adaptiveConcurrency: z.boolean().optional(),
  reportPath: z.string().optional(),
  caseSensitiveUsernames: z.boolean(),
});
export type JobSettings = z.infer<typeof JobSettingsSchema>;

/** Settings as written: the shared password cannot get in even if a caller passes it along. */
export function storableSettings(settings: JobSettings): string {
  const source = settings.passwordSource;
  const passwordSource: StoredPasswordSource =
    source.kind === 'generated' ? { kind: 'generated', policy: source.policy } : { kind: source.kind };
  return JSON.stringify({ ...settings, passwordSource });
}

export function storableStopReason(reason: StopReason | null | undefined): string | null {
  return reason ? JSON.stringify(reason) : null;
}

/** Throws AppError('JobDamaged') naming the job when its stored settings do not parse. */
export function readSettings(jobId: string, text: string): JobSettings {
  return readJson(jobId, 'settings are', JobSettingsSchema, text);
}

/** Throws AppError('JobDamaged') naming the job when its stored stop reason does not parse. */
export function readStopReason(jobId: string, text: string | null): StopReason | null {
  return text === null ? null : readJson(jobId, 'stop reason is', StopReasonSchema, text);
}

/** `what`: the column as the message names it, with its verb ("settings are"). */
function readJson<T>(jobId: string, what: string, schema: z.ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw damaged(jobId, what, `it is not valid JSON (${(error as Error).message})`, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw damaged(jobId, what, `${where}${issue?.message ?? 'unknown problem'}`, parsed.error);
  }
  return parsed.data;
}

function damaged(jobId: string, what: string, why: string, cause: unknown): AppError {
  return new AppError(
    'JobDamaged',
    `Import job ${jobId} cannot be read: its stored ${what} damaged — ${why}.`,
    {
      hint: 'Start a new import of the file; the log keeps every attempt this job made.',
      cause,
    },
  );
}
