/** QA seeding: N test users from a pattern, sent as an import job. */
import { z } from 'zod';
import { MAX_USER_CREATION_QUOTA } from '../quota-rules';
import { MAX_CONCURRENCY } from '../send-limits';
import { JobIdSchema } from './import';
import { PasswordPolicySchema } from './password-policy';

export const SeedPatternSchema = z.object({
  count: z.number().int().min(1, 'Generate at least one user.').max(100_000),
  /** `{n}` is replaced by the user's number (1…count), zero-padded to `pad` digits. */
  usernameTemplate: z
    .string()
    .min(1)
    .max(100)
    .refine((t) => t.includes('{n}'), 'The username template needs {n} so each user is unique.'),
  /** `{n}` and `{username}` are replaced; `{domain}` too. Empty = no email column. */
  emailTemplate: z.string().max(200).optional(),
  domain: z.string().max(200).optional(),
  /** E.164 prefix; the user's number is appended, padded to a 10-digit subscriber number. */
  phonePrefix: z
    .string()
    .regex(/^\+[1-9]\d{0,10}$/, 'A phone prefix is "+" and digits, e.g. +1555.')
    .optional(),
  start: z.number().int().min(0).default(1),
  pad: z.number().int().min(0).max(10).default(0),
});
export type SeedPatternInput = z.input<typeof SeedPatternSchema>;
/** The pattern as main receives it, defaults applied. */
export type SeedPattern = z.output<typeof SeedPatternSchema>;

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
  // At most the profile's sign-up quota, which main checks (the contract knows no profile).
  rate: z.number().min(1).max(MAX_USER_CREATION_QUOTA),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY),
});

export const seedChannels = {
  'seed:preview': { request: SeedPatternSchema, response: SeedPreviewSchema },
  'seed:start': { request: SeedStartSchema, response: JobIdSchema },
} as const;
