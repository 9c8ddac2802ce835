/** One sign-up from the form (or the CLI): the request as typed and what Cognito made of it. */
import { z } from 'zod';
import { LIMITS } from '../signup-rules';

const NameValueSchema = z.object({
  name: z.string().max(256),
  value: z.string().max(LIMITS.attributeValueMax * 2),
});

/** Shape only: Cognito's rules are applied by validateSignUpInput so messages match the form's. */
export const SignUpInputSchema = z.object({
  username: z.string().max(1024),
  // Optional: a passwordless user (docs/cognito.md#password).
  password: z.string().max(1024).optional(),
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
  /**
   * Something went wrong after Cognito answered (the log could not be written): the outcome above
   * is still what Cognito said, so a created user is never reported as a failure.
   */
  warning: z.string().optional(),
});
export type SignUpResult = z.infer<typeof SignUpResultSchema>;

export const signUpChannels = {
  'signUp:submit': { request: SignUpSubmitSchema, response: SignUpResultSchema },
} as const;
