/** Bulk import from a CSV file: inspection, dry run, and the jobs that send it. */
import { z } from 'zod';
import { MAX_USER_CREATION_QUOTA } from '../quota-rules';
import { MAX_CONCURRENCY } from '../send-limits';
import { boundedRecord } from './bounded';
import { FileHandleSchema, SavedFileSchema } from './files';
import { PasswordPolicySchema } from './password-policy';

export const DelimiterSchema = z.enum([',', ';', '\t']);
/** More columns than any real user export has; a CSV with more is refused by the inspection. */
export const MAX_MAPPED_COLUMNS = 500;
/** COLUMN header → target (username, password, ignore, a standard attribute or custom:name). */
export const MappingOverridesSchema = boundedRecord(
  z.string().max(256, 'A column header can be at most 256 characters.'),
  z.string().max(64, 'A mapping target can be at most 64 characters.'),
  MAX_MAPPED_COLUMNS,
  'column mappings: a file has no more columns than that',
);

export const PasswordSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column') }),
  z.object({ kind: z.literal('shared'), password: z.string().min(1).max(256) }),
  z.object({ kind: z.literal('generated'), policy: PasswordPolicySchema }),
  /** No password: passwordless users, for pools that offer passwordless sign-in (docs/cognito.md#password). */
  z.object({ kind: z.literal('none') }),
]);
export type PasswordSourceInput = z.infer<typeof PasswordSourceSchema>;

export const MappedColumnSchema = z.object({
  index: z.number().int(),
  header: z.string(),
  target: z.string(),
  known: z.boolean(),
  note: z.string().optional(),
});

/** The file is named by the handle files:openCsv or files:fromDrop gave, never by a path. */
export const ImportInspectRequestSchema = z.object({
  handle: FileHandleSchema,
  delimiter: DelimiterSchema.optional(),
  overrides: MappingOverridesSchema.optional(),
});

export const ImportInspectionSchema = z.object({
  handle: FileHandleSchema,
  fileName: z.string(),
  sizeBytes: z.number(),
  encoding: z.string(),
  delimiter: DelimiterSchema,
  headers: z.array(z.string()),
  rowCount: z.number().int(),
  preview: z.array(z.array(z.string())),
  columns: z.array(MappedColumnSchema),
  unknown: z.array(z.string()),
  missingRequired: z.array(z.string()),
});
export type ImportInspection = z.infer<typeof ImportInspectionSchema>;

export const ImportSourceSchema = z.object({
  handle: FileHandleSchema,
  delimiter: DelimiterSchema.optional(),
  overrides: MappingOverridesSchema.optional(),
  passwordSource: PasswordSourceSchema,
});

export const RowProblemSchema = z.object({
  line: z.number().int(),
  index: z.number().int(),
  column: z.string().nullable(),
  kind: z.string(),
  message: z.string(),
  suggestion: z.string().optional(),
});
export type RowProblemView = z.infer<typeof RowProblemSchema>;

export const DryRunResultSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  problems: z.array(RowProblemSchema),
  problemCounts: z.record(z.string(), z.number().int()),
  problemsTruncated: z.boolean(),
});
export type DryRunView = z.infer<typeof DryRunResultSchema>;

export const ImportStartSchema = ImportSourceSchema.extend({
  profileId: z.string().min(1).max(64),
  // At most the profile's sign-up quota, which main checks (the contract knows no profile).
  rate: z.number().min(1).max(MAX_USER_CREATION_QUOTA),
  /** Absent: parallelism follows the observed latency; a number is a hard limit. */
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
});

export const JobStateSchema = z.enum([
  'running',
  'paused',
  'stopped',
  'cancelled',
  'completed',
  'interrupted',
]);
export type JobStateView = z.infer<typeof JobStateSchema>;

export const StopReasonSchema = z.object({
  /**
   * quota/config: Cognito's answer; connection: the endpoint cannot be reached; repeated: many
   * rows in a row failed the same way; internal: our side failed.
   */
  category: z.enum(['quota', 'config', 'connection', 'repeated', 'internal']),
  errorName: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  rowNumber: z.number().int().optional(),
});

export const ImportProgressSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  created: z.number().int(),
  exists: z.number().int(),
  invalid: z.number().int(),
  failed: z.number().int(),
  remaining: z.number().int(),
  ratePerSecond: z.number(),
  allowedRate: z.number(),
  /**
   * Jobs sending on this job's sign-up budget right now (its account and region, across the app
   * and every CLI), itself included, and the quota they share. Absent while the job is not
   * sending. docs/cognito.md#quota
   */
  sharedWith: z.number().int().optional(),
  quota: z.number().int().optional(),
  elapsedMs: z.number(),
  state: JobStateSchema,
  stopReason: StopReasonSchema.optional(),
});
export type ImportProgressView = z.infer<typeof ImportProgressSchema>;

export const JobViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  state: JobStateSchema,
  fileName: z.string(),
  profileName: z.string().optional(),
  passwordKind: z.enum(['column', 'shared', 'generated', 'none']),
  rate: z.number(),
  concurrency: z.number(),
  parentJobId: z.string().nullable(),
  progress: ImportProgressSchema,
});
export type JobView = z.infer<typeof JobViewSchema>;

export const JobIdSchema = z.object({ jobId: z.string().min(1).max(64) });

export const ImportResumeSchema = JobIdSchema.extend({
  /** Needed only when the job shares one password, which is never stored. */
  password: z.string().min(1).max(256).optional(),
});

export const importChannels = {
  'import:inspect': { request: ImportInspectRequestSchema, response: ImportInspectionSchema },
  'import:dryRun': { request: ImportSourceSchema, response: DryRunResultSchema },
  'import:start': { request: ImportStartSchema, response: JobIdSchema },
  'import:pause': { request: JobIdSchema, response: JobViewSchema },
  'import:resume': { request: ImportResumeSchema, response: JobViewSchema },
  'import:cancel': { request: JobIdSchema, response: JobViewSchema },
  'import:jobs': { request: z.undefined(), response: z.array(JobViewSchema) },
  'import:saveReport': { request: JobIdSchema, response: SavedFileSchema },
  'import:retryFailed': { request: ImportResumeSchema, response: JobIdSchema },
} as const;
