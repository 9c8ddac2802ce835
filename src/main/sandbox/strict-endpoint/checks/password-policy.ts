/**
 * The pool's password policy (Policies.PasswordPolicy), with Cognito's messages
 * ("Password did not conform with policy: …"). Character classes are basic Latin letters, digits
 * and the listed special characters; a space counts as special only inside the password.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
 * and docs/cognito.md#password
 */
import type { PasswordPolicy } from '../pool-rules';
import { AwsError } from '../wire';

const SPECIAL = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-');

function hasSymbol(password: string): boolean {
  const chars = [...password];
  return chars.some((c, i) => SPECIAL.has(c) || (c === ' ' && i > 0 && i < chars.length - 1));
}

function refuse(reason: string): AwsError {
  return new AwsError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
}

/**
 * A SignUp without a password is a passwordless sign-up, which the sandbox's pools do not offer:
 * it is judged as an empty password (docs/cognito.md#password).
 */
export function checkPassword(password: string | undefined, policy: PasswordPolicy): AwsError | null {
  const value = password ?? '';
  if ([...value].length < policy.minimumLength) return refuse('Password not long enough');
  if (policy.requireUppercase && !/[A-Z]/.test(value))
    return refuse('Password must have uppercase characters');
  if (policy.requireLowercase && !/[a-z]/.test(value))
    return refuse('Password must have lowercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(value)) return refuse('Password must have numeric characters');
  if (policy.requireSymbols && !hasSymbol(value)) return refuse('Password must have symbol characters');
  return null;
}
