import { randomInt } from 'node:crypto';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicyInput } from '@shared/contract';
import { AppError } from '../errors';

/**
 * The parts of a Cognito password policy a generated password must satisfy. Field names follow
 * PasswordPolicyType: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
 * (MinimumLength 6–99, RequireUppercase/Lowercase/Numbers/Symbols).
 */
export type PasswordPolicy = PasswordPolicyInput;

// Re-exported for the callers that take the default from here; its one home is the contract.
export { DEFAULT_PASSWORD_POLICY };

/** Below this we still generate longer passwords: a short policy minimum is a floor, not a target. */
const PREFERRED_LENGTH = 16;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/**
 * A subset of the symbols Cognito counts as special characters
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html#user-pool-settings-policies).
 * Left out on purpose: space (no whitespace), quotes, backslash and backtick (shell and CSV
 * quoting), comma and semicolon (delimiters), and `= + - @` — a cell starting with one of those
 * would be prefixed with `'` by the report's formula guard, and a password copied from the report
 * would then be wrong.
 */
const SYMBOLS = '^$*.[]{}()?!#%&/<>:|_~';

export function checkPasswordPolicy(policy: PasswordPolicy): string | null {
  if (!Number.isInteger(policy.minLength) || policy.minLength < 6 || policy.minLength > 99)
    return `The minimum password length must be a whole number from 6 to 99 (got ${policy.minLength}).`;
  return null;
}

/** Throws AppError('InvalidPasswordPolicy') when the policy is outside what Cognito allows. */
export function assertPasswordPolicy(policy: PasswordPolicy): void {
  const problem = checkPasswordPolicy(policy);
  if (problem !== null)
    throw new AppError('InvalidPasswordPolicy', problem, {
      hint: "Use the same minimum length as the user pool's password policy.",
    });
}

/**
 * A crypto-random password meeting the policy: one character of each required class, the rest
 * drawn uniformly from all four classes (node:crypto randomInt is unbiased), then shuffled so the
 * required characters are not always first. The result is never logged by this module.
 */
export function generatePassword(policy: PasswordPolicy): string {
  assertPasswordPolicy(policy);
  const length = Math.max(policy.minLength, PREFERRED_LENGTH);
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const chars: string[] = [];
  if (policy.requireUppercase) chars.push(pick(UPPER));
  if (policy.requireLowercase) chars.push(pick(LOWER));
  if (policy.requireNumbers) chars.push(pick(DIGITS));
  if (policy.requireSymbols) chars.push(pick(SYMBOLS));
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates with an unbiased index.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const swap = chars[i] as string;
    chars[i] = chars[j] as string;
    chars[j] = swap;
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}

/** Exposed for tests and the report writer: the symbols a generated password may contain. */
export const GENERATED_SYMBOLS = SYMBOLS;
