/**
 * The username's shape where the pool constrains it (docs/cognito.md#username): with username
 * attributes it must be an email and/or a phone number; with an email (phone) alias it may not
 * look like one. https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-usernames
 */
import type { PoolRules } from '../pool-rules';
import { AwsError } from '../wire';
import { isEmail, isPhoneNumber } from './formats';

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export function checkUsername(username: string, pool: PoolRules): AwsError | null {
  const byEmail = pool.usernameAttributes.includes('email');
  const byPhone = pool.usernameAttributes.includes('phone_number');
  if (byEmail && byPhone) {
    return isEmail(username) || isPhoneNumber(username)
      ? null
      : invalid('Username should be either an email or a phone number.');
  }
  if (byEmail) return isEmail(username) ? null : invalid('Username should be an email.');
  if (byPhone) return isPhoneNumber(username) ? null : invalid('Username should be a phone number.');
  if (pool.aliasAttributes.includes('email') && isEmail(username)) {
    return invalid('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (pool.aliasAttributes.includes('phone_number') && isPhoneNumber(username)) {
    return invalid(
      'Username cannot be of phone number format, since user pool is configured for phone number alias.',
    );
  }
  return null;
}
