/** QA seeding: N test users from a pattern, sent as an import job. */
import { z } from 'zod';
import { MAX_USER_CREATION_QUOTA } from '../quota-rules';
import { MAX_CONCURRENCY } from '../send-limits';
import { LIMITS } from '../signup-rules';
import { JobIdSchema } from './import';
import { PasswordPolicySchema } from './password-policy';

const SeedPatternFields = z.object({
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
    .max(12, 'A phone prefix is "+" and at most 11 digits, e.g. +1555.')
    .regex(/^\+[1-9]\d{0,10}$/, 'A phone prefix is "+" and digits, e.g. +1555.')
    .optional(),
  start: z.number().int().min(0).max(1_000_000_000, 'Start at 1,000,000,000 at most.').default(1),
  pad: z.number().int().min(0).max(10).default(0),
});
/** The domain the seed file uses when none is given (seed-file.ts). */
const DEFAULT_DOMAIN = 'example.com';

/** The length of `template` once filled, each placeholder at its longest. */
function filledLength(template: string, lengths: Record<'n' | 'username' | 'domain', number>): number {
  return template.replace(/\{(n|username|domain)\}/g, (_all, key: 'n' | 'username' | 'domain') =>
    'x'.repeat(lengths[key]),
  ).length;
}

/**
 * The templates' bounds are on what they make, not only on their length: 200 characters of
 * `{username}` would fill every email with thousands, and 100,000 of them hundreds of megabytes.
 * What Cognito would refuse anyway (docs/cognito.md) is refused here, before a file is written.
 */
export const SeedPatternSchema = SeedPatternFields.superRefine((pattern, ctx) => {
  const last = pattern.start + pattern.count - 1;
  const n = Math.max(pattern.pad, String(last).length);
  const domain = pattern.domain !== undefined && pattern.domain !== '' ? pattern.domain : DEFAULT_DOMAIN;
  const username = filledLength(pattern.usernameTemplate, { n, username: 0, domain: domain.length });
  if (username > LIMITS.usernameMax)
    ctx.addIssue({
      code: 'custom',
      path: ['usernameTemplate'],
      message: `This template makes usernames of up to ${username} characters; Cognito allows ${LIMITS.usernameMax}. Shorten it.`,
    });
  const email = filledLength(pattern.emailTemplate ?? '', { n, username, domain: domain.length });
  if (email > LIMITS.attributeValueMax)
    ctx.addIssue({
      code: 'custom',
      path: ['emailTemplate'],
      message: `This template makes emails of up to ${email} characters; Cognito allows ${LIMITS.attributeValueMax}. Shorten it.`,
    });
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
  /** Absent: parallelism follows the observed latency; a number is a hard limit. */
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
});

export const seedChannels = {
  'seed:preview': { request: SeedPatternSchema, response: SeedPreviewSchema },
  'seed:start': { request: SeedStartSchema, response: JobIdSchema },
} as const;
