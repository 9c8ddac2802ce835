/**
 * The one IPC contract (DESIGN.md practice 1): every channel's request and response schema.
 * Main registers handlers from it and parses every request with it; preload and the test
 * harness expose exactly these channels as domain functions; the renderer's types come from here.
 */
import { z } from 'zod';
import { LIMITS } from './signup-rules';
import { MAX_CONCURRENCY, MAX_RATE } from './send-limits';

// ---------- profiles ----------

export const ProfileInputSchema = z.object({
  /** Absent when creating. */
  id: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1, 'Give the profile a name.').max(100, 'Keep the name under 100 characters.'),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'A region looks like eu-west-1.'),
  userPoolId: z
    .string()
    .trim()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'A user pool id looks like eu-west-1_AbC123xyz.')
    .max(55),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html#CognitoUserPools-SignUp-request-ClientId
  clientId: z
    .string()
    .trim()
    .regex(/^[\w+]+$/, 'An app client id is letters and digits only.')
    .max(128),
  /** For local or private endpoints; empty means the public regional endpoint. */
  endpoint: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'The endpoint must be an http(s) URL.' })])
    .optional(),
});
export type ProfileInput = z.input<typeof ProfileInputSchema>;

export const ProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  userPoolId: z.string(),
  clientId: z.string(),
  endpoint: z.string().optional(),
  /** Whether the keychain holds a client secret for this profile; the secret itself never leaves main. */
  hasSecret: z.boolean(),
  /** The local sandbox the app starts itself (cognito-local), never a real pool. */
  sandbox: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfilesStateSchema = z.object({
  profiles: z.array(ProfileSchema),
  activeId: z.string().nullable(),
});
export type ProfilesState = z.infer<typeof ProfilesStateSchema>;

const IdSchema = z.object({ id: z.string().min(1).max(64) });

export const SetSecretSchema = z.object({
  id: z.string().min(1).max(64),
  // App client secrets are 51–52 characters today; allow headroom but not megabytes.
  secret: z.string().min(1, 'Paste the app client secret.').max(512),
});

// ---------- sign-up ----------

const NameValueSchema = z.object({
  name: z.string().max(256),
  value: z.string().max(LIMITS.attributeValueMax * 2),
});

/** Shape only: Cognito's rules are applied by validateSignUpInput so messages match the form's. */
export const SignUpInputSchema = z.object({
  username: z.string().max(1024),
  password: z.string().max(1024),
  attributes: z.array(NameValueSchema).max(100),
  validationData: z.array(NameValueSchema).max(100),
  clientMetadata: z.array(NameValueSchema).max(100),
  analyticsEndpointId: z.string().max(1024).optional(),
  userContextData: z
    .object({ ipAddress: z.string().max(64).optional(), encodedData: z.string().max(8192).optional() })
    .optional(),
});

export const SignUpSubmitSchema = z.object({
  profileId: z.string().min(1).max(64),
  input: SignUpInputSchema,
});

export const OutcomeSchema = z.enum(['created', 'exists', 'rejected', 'invalid', 'error']);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const DeliveryMediumSchema = z.enum(['EMAIL', 'SMS']);

export const CodeDeliverySchema = z.object({
  destination: z.string().optional(),
  deliveryMedium: z.string().optional(),
  attributeName: z.string().optional(),
});
export type CodeDelivery = z.infer<typeof CodeDeliverySchema>;

export const AttemptErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
  /** Plain-language advice for the common errors. */
  hint: z.string().optional(),
});
export type AttemptError = z.infer<typeof AttemptErrorSchema>;

export const SignUpResultSchema = z.object({
  outcome: OutcomeSchema,
  userSub: z.string().optional(),
  userConfirmed: z.boolean().optional(),
  codeDeliveryDetails: CodeDeliverySchema.optional(),
  error: AttemptErrorSchema.optional(),
  /** Field path → message when outcome is "invalid". */
  fieldErrors: z.record(z.string(), z.string()).optional(),
  /** The durable log entry this attempt was recorded as. */
  logId: z.number().int().optional(),
});
export type SignUpResult = z.infer<typeof SignUpResultSchema>;

// ---------- log ----------

export const SourceSchema = z.enum(['form', 'cli', 'import']);
export type Source = z.infer<typeof SourceSchema>;

export const LogEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  source: SourceSchema,
  jobId: z.string().optional(),
  rowNumber: z.number().int().optional(),
  profileId: z.string().optional(),
  profileName: z.string().optional(),
  region: z.string(),
  userPoolId: z.string().optional(),
  clientId: z.string(),
  username: z.string(),
  outcome: OutcomeSchema,
  userSub: z.string().optional(),
  userConfirmed: z.boolean().optional(),
  deliveryMedium: z.string().optional(),
  destination: z.string().optional(),
  attributeName: z.string().optional(),
  errorName: z.string().optional(),
  errorMessage: z.string().optional(),
  requestId: z.string().optional(),
  /** E.g. "possibly created by the interrupted attempt". */
  note: z.string().optional(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const LogQuerySchema = z.object({
  outcomes: z.array(OutcomeSchema).optional(),
  text: z.string().max(200).optional(),
  jobId: z.string().max(64).optional(),
  deliveryMedium: DeliveryMediumSchema.optional(),
  errorName: z.string().max(128).optional(),
  /** ISO timestamps, inclusive. */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** Keyset cursor: entries with an id lower than this (newest first). */
  before: z.number().int().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type LogQuery = z.input<typeof LogQuerySchema>;

export const LogPageSchema = z.object({
  entries: z.array(LogEntrySchema),
  /** Pass as `before` for the next page; null when this was the last one. */
  nextCursor: z.number().int().nullable(),
});
export type LogPage = z.infer<typeof LogPageSchema>;

// ---------- sandbox ----------

export const SandboxStatusSchema = z.object({
  running: z.boolean(),
  endpoint: z.string().optional(),
  profileId: z.string().optional(),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

// ---------- files (dialog port) ----------

export const OpenCsvResultSchema = z.object({ path: z.string() }).nullable();

// ---------- import ----------

export const DelimiterSchema = z.enum([',', ';', '\t']);
const PathSchema = z.string().min(1, 'Choose a CSV file.').max(4096);
/** COLUMN header → target (username, password, ignore, a standard attribute or custom:name). */
export const MappingOverridesSchema = z.record(z.string().max(256), z.string().max(64));

export const PasswordPolicySchema = z.object({
  minLength: z.number().int().min(6).max(99),
  requireUppercase: z.boolean(),
  requireLowercase: z.boolean(),
  requireNumbers: z.boolean(),
  requireSymbols: z.boolean(),
});
export type PasswordPolicyInput = z.infer<typeof PasswordPolicySchema>;

export const PasswordSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column') }),
  z.object({ kind: z.literal('shared'), password: z.string().min(1).max(256) }),
  z.object({ kind: z.literal('generated'), policy: PasswordPolicySchema }),
]);
export type PasswordSourceInput = z.infer<typeof PasswordSourceSchema>;

export const MappedColumnSchema = z.object({
  index: z.number().int(),
  header: z.string(),
  target: z.string(),
  known: z.boolean(),
  note: z.string().optional(),
});

export const ImportInspectRequestSchema = z.object({
  path: PathSchema,
  delimiter: DelimiterSchema.optional(),
  overrides: MappingOverridesSchema.optional(),
});

export const ImportInspectionSchema = z.object({
  path: z.string(),
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

const ImportSourceSchema = z.object({
  path: PathSchema,
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
  rate: z.number().min(1).max(MAX_RATE),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY),
});
export type ImportStartInput = z.input<typeof ImportStartSchema>;

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
  category: z.enum(['quota', 'config', 'internal']),
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
  passwordKind: z.enum(['column', 'shared', 'generated']),
  rate: z.number(),
  concurrency: z.number(),
  parentJobId: z.string().nullable(),
  progress: ImportProgressSchema,
});
export type JobView = z.infer<typeof JobViewSchema>;

const JobIdSchema = z.object({ jobId: z.string().min(1).max(64) });

export const ImportResumeSchema = JobIdSchema.extend({
  /** Needed only when the job shares one password, which is never stored. */
  password: z.string().min(1).max(256).optional(),
});

export const SavedFileSchema = z.object({ path: z.string() }).nullable();

// ---------- QA seeding ----------

export const SeedPatternSchema = z.object({
  count: z.number().int().min(1, 'Generate at least one user.').max(100_000),
  /** `{n}` is replaced by the user's number (1…count), zero-padded to `pad` digits. */
  usernameTemplate: z
    .string()
    .min(1)
    .max(100)
    .refine((t) => t.includes('{n}'), 'The username template needs {n} so each user is unique.'),
  emailTemplate: z.string().max(200).optional(),
  domain: z.string().max(200).optional(),
  phonePrefix: z
    .string()
    .regex(/^\+[1-9]\d{0,10}$/, 'A phone prefix is "+" and digits, e.g. +1555.')
    .optional(),
  start: z.number().int().min(0).default(1),
  pad: z.number().int().min(0).max(10).default(0),
});
export type SeedPatternInput = z.input<typeof SeedPatternSchema>;

export const SeedPreviewSchema = z.object({
  headers: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  count: z.number().int(),
});

export const SeedStartSchema = z.object({
  profileId: z.string().min(1).max(64),
  pattern: SeedPatternSchema,
  passwordSource: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('shared'), password: z.string().min(1).max(256) }),
    z.object({ kind: z.literal('generated'), policy: PasswordPolicySchema }),
  ]),
  rate: z.number().min(1).max(MAX_RATE),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY),
});

// ---------- log export ----------

export const LogExportSchema = LogQuerySchema.omit({ before: true, limit: true }).extend({
  format: z.enum(['csv', 'json']),
});

export const LogFacetsSchema = z.object({
  errorNames: z.array(z.string()),
  jobIds: z.array(z.string()),
});

// ---------- the channel table ----------

const none = z.undefined();

export const contract = {
  'profiles:list': { request: none, response: ProfilesStateSchema },
  'profiles:save': { request: ProfileInputSchema, response: ProfileSchema },
  'profiles:delete': { request: IdSchema, response: ProfilesStateSchema },
  'profiles:setActive': { request: IdSchema, response: ProfilesStateSchema },
  'profiles:setSecret': { request: SetSecretSchema, response: ProfileSchema },
  'profiles:removeSecret': { request: IdSchema, response: ProfileSchema },
  'sandbox:status': { request: none, response: SandboxStatusSchema },
  'sandbox:start': { request: none, response: ProfileSchema },
  'signUp:submit': { request: SignUpSubmitSchema, response: SignUpResultSchema },
  'log:query': { request: LogQuerySchema, response: LogPageSchema },
  'log:get': { request: z.object({ id: z.number().int() }), response: LogEntrySchema },
  'log:facets': { request: none, response: LogFacetsSchema },
  'log:export': {
    request: LogExportSchema,
    response: z.object({ path: z.string(), count: z.number().int() }).nullable(),
  },
  'files:openCsv': { request: none, response: OpenCsvResultSchema },
  'import:inspect': { request: ImportInspectRequestSchema, response: ImportInspectionSchema },
  'import:dryRun': { request: ImportSourceSchema, response: DryRunResultSchema },
  'import:start': { request: ImportStartSchema, response: JobIdSchema },
  'import:pause': { request: JobIdSchema, response: JobViewSchema },
  'import:resume': { request: ImportResumeSchema, response: JobViewSchema },
  'import:cancel': { request: JobIdSchema, response: JobViewSchema },
  'import:jobs': { request: none, response: z.array(JobViewSchema) },
  'import:saveReport': { request: JobIdSchema, response: SavedFileSchema },
  'import:retryFailed': { request: ImportResumeSchema, response: JobIdSchema },
  'seed:preview': { request: SeedPatternSchema, response: SeedPreviewSchema },
  'seed:start': { request: SeedStartSchema, response: JobIdSchema },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (defaults not yet applied). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What a handler receives after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

/**
 * Main → renderer pushes (DESIGN.md practice 6), each tagged with its job id so the renderer can
 * ignore stale ones. Main sends at most one progress event per job every 100 ms.
 */
export const events = {
  'import:progress': z.object({ jobId: z.string(), progress: ImportProgressSchema }),
  'import:row': z.object({ jobId: z.string(), entry: LogEntrySchema }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
