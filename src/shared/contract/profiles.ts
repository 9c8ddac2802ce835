/** Connection profiles: a user pool's region, ids and endpoint; the client secret stays in main. */
import { z } from 'zod';
import { MAX_USER_CREATION_QUOTA } from '../quota-rules';

const QUOTA_MESSAGE = `The sign-up quota is a whole number of requests per second, from 1 to ${MAX_USER_CREATION_QUOTA}.`;

export const ProfileInputSchema = z.object({
  /** Absent when creating. */
  id: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1, 'Give the profile a name.').max(100, 'Keep the name under 100 characters.'),
  region: z
    .string()
    .trim()
    .max(32, 'A region looks like eu-west-1.')
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
    .union([
      z.literal(''),
      z
        .url({ protocol: /^https?$/, error: 'The endpoint must be an http(s) URL.' })
        .max(2048, 'Keep the endpoint URL under 2048 characters.'),
    ])
    .optional(),
  /**
   * The AWS account the pool is in: jobs of profiles with the same account and region share one
   * sign-up budget exactly. Empty or absent: same region + same endpoint is taken as one account.
   * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
   */
  accountId: z
    .union([
      z.literal(''),
      z
        .string()
        .trim()
        .regex(/^\d{12}$/, 'An AWS account id is 12 digits.')
        .max(12),
    ])
    .optional(),
  /** The account's UserCreation quota in requests/s: AWS's default 50 when absent, or as AWS raised it. */
  userCreationQuota: z
    .number({ error: QUOTA_MESSAGE })
    .int(QUOTA_MESSAGE)
    .min(1, QUOTA_MESSAGE)
    .max(MAX_USER_CREATION_QUOTA, QUOTA_MESSAGE)
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
  /** Absent: unknown, so the sign-up budget is shared by region + endpoint. */
  accountId: z.string().optional(),
  /** Absent: AWS's default (DEFAULT_USER_CREATION_QUOTA). */
  userCreationQuota: z.number().int().optional(),
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

export const profileChannels = {
  'profiles:list': { request: z.undefined(), response: ProfilesStateSchema },
  'profiles:save': { request: ProfileInputSchema, response: ProfileSchema },
  'profiles:delete': { request: IdSchema, response: ProfilesStateSchema },
  'profiles:setActive': { request: IdSchema, response: ProfilesStateSchema },
  'profiles:setSecret': { request: SetSecretSchema, response: ProfileSchema },
  'profiles:removeSecret': { request: IdSchema, response: ProfileSchema },
} as const;
