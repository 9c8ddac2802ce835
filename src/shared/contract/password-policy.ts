/**
 * The password policy a generated password must meet. Field names follow Cognito's
 * PasswordPolicyType: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
 * (MinimumLength 6–99, RequireUppercase/Lowercase/Numbers/Symbols).
 */
import { z } from 'zod';

export const PasswordPolicySchema = z.object({
  minLength: z.number().int().min(6).max(99),
  requireUppercase: z.boolean(),
  requireLowercase: z.boolean(),
  requireNumbers: z.boolean(),
  requireSymbols: z.boolean(),
});
export type PasswordPolicyInput = z.infer<typeof PasswordPolicySchema>;

/** The strictest policy Cognito offers at its default length; what the app uses when told nothing. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicyInput = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};
