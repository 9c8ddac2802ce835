/** The durable log of every attempt: its entries, the filtered query, facets and export. */
import { z } from 'zod';
import { DeliveryMediumSchema, OutcomeSchema } from './sign-up';

export const SourceSchema = z.enum(['form', 'cli', 'import']);

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
  /** Each outcome at most once; more is not a real filter. */
  outcomes: z
    .array(OutcomeSchema)
    .max(OutcomeSchema.options.length, `Choose at most the ${OutcomeSchema.options.length} outcomes.`)
    .optional(),
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

export const LogExportSchema = LogQuerySchema.omit({ before: true, limit: true }).extend({
  format: z.enum(['csv', 'json']),
});

export const LogFacetsSchema = z.object({
  errorNames: z.array(z.string()),
  jobIds: z.array(z.string()),
});

export const logChannels = {
  'log:query': { request: LogQuerySchema, response: LogPageSchema },
  'log:get': { request: z.object({ id: z.number().int() }), response: LogEntrySchema },
  'log:facets': { request: z.undefined(), response: LogFacetsSchema },
  'log:export': {
    request: LogExportSchema,
    response: z.object({ path: z.string(), count: z.number().int() }).nullable(),
  },
} as const;
