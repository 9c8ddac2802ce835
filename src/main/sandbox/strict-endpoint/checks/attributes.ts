/**
 * The pool's schema and the client's write permissions, applied to SignUp's UserAttributes
 * (docs/cognito.md#attributes): unknown names, attributes the app client may not write, required
 * attributes left out, values too long or in the wrong format.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 */
import type { Attribute } from '../sign-up-request';
import { STANDARD_ATTRIBUTES, type ClientRules, type PoolRules, type SchemaAttribute } from '../pool-rules';
import { AwsError } from '../wire';
import { isEmail, isPhoneNumber } from './formats';

function schemaError(problems: string[]): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `Attributes did not conform to the schema: ${problems.join('\n')}`,
  );
}

function find(schema: SchemaAttribute[], name: string): SchemaAttribute | undefined {
  return schema.find((a) => a.name === name);
}

export function checkAttributesExist(attributes: Attribute[], schema: SchemaAttribute[]): AwsError | null {
  const unknown = attributes.filter((a) => find(schema, a.name) === undefined);
  return unknown.length === 0
    ? null
    : schemaError(unknown.map((a) => `${a.name}: Attribute does not exist in the schema.`));
}

/**
 * WriteAttributes unset: the standard attributes only (so no custom ones, no `*_verified` flags).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes
 */
export function checkWritable(attributes: Attribute[], client: ClientRules): AwsError | null {
  const writable = client.writeAttributes ?? STANDARD_ATTRIBUTES;
  return attributes.every((a) => writable.includes(a.name))
    ? null
    : new AwsError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
}

/**
 * `sub` is marked required but Cognito generates it; in a pool whose username is an email or a
 * phone number, the username fills that attribute.
 */
export function checkRequired(attributes: Attribute[], pool: PoolRules): AwsError | null {
  const given = new Set(attributes.filter((a) => a.value !== '').map((a) => a.name));
  for (const name of pool.usernameAttributes) given.add(name);
  const missing = pool.schema.filter((a) => a.required && a.name !== 'sub' && !given.has(a.name));
  return missing.length === 0
    ? null
    : schemaError(missing.map((a) => `${a.name}: The attribute is required`));
}

export function checkValues(attributes: Attribute[], schema: SchemaAttribute[]): AwsError | null {
  for (const a of attributes) {
    const max = find(schema, a.name)?.maxLength ?? null;
    if (max !== null && [...a.value].length > max) {
      return schemaError([`${a.name}: String must be no longer than ${max} characters`]);
    }
    if (a.name === 'email' && !isEmail(a.value)) {
      return new AwsError('InvalidParameterException', 'Invalid email address format.');
    }
    if (a.name === 'phone_number' && !isPhoneNumber(a.value)) {
      return new AwsError('InvalidParameterException', 'Invalid phone number format.');
    }
  }
  return null;
}
