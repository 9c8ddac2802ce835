/**
 * Every check a SignUp passes before the user is created, in one order: self sign-up allowed,
 * username shape, attribute names, write permission, required attributes, values, then the
 * password. Cognito does not document its own order; the first refusal is the answer.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html#API_SignUp_Errors
 */
import { checkAttributesExist, checkRequired, checkValues, checkWritable } from './checks/attributes';
import { checkPassword } from './checks/password-policy';
import { checkUsername } from './checks/username';
import type { ClientRules, PoolRules } from './pool-rules';
import type { SignUpRequest } from './sign-up-request';
import { AwsError } from './wire';

/** AllowAdminCreateUserOnly (docs/cognito.md#errors, NotAuthorizedException variants). */
function checkSignUpAllowed(pool: PoolRules): AwsError | null {
  return pool.signUpDisabled
    ? new AwsError('NotAuthorizedException', 'SignUp is not permitted for this user pool')
    : null;
}

export function validateSignUp(
  request: SignUpRequest,
  pool: PoolRules,
  client: ClientRules,
): AwsError | null {
  const { attributes } = request;
  return (
    checkSignUpAllowed(pool) ??
    checkUsername(request.username, pool) ??
    checkAttributesExist(attributes, pool.schema) ??
    checkWritable(attributes, client) ??
    checkRequired(attributes, pool) ??
    checkValues(attributes, pool.schema) ??
    checkPassword(request.password, pool.passwordPolicy)
  );
}
