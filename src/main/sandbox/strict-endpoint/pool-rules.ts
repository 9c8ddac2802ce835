/**
 * What the strict endpoint enforces for one user pool and one app client, read from
 * DescribeUserPool and DescribeUserPoolClient (docs/cognito.md#confirm-and-resend) and reduced to
 * plain data the checks take. Pure: no I/O here (rules-reader.ts fetches and caches).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
 */
import type { UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

export interface SchemaAttribute {
  /** As SignUp writes it: `email`, `custom:department`. */
  name: string;
  required: boolean;
  maxLength: number | null;
}

type VerifiableAttribute = 'email' | 'phone_number';

export interface PoolRules {
  poolId: string;
  passwordPolicy: PasswordPolicy;
  schema: SchemaAttribute[];
  usernameAttributes: VerifiableAttribute[];
  aliasAttributes: string[];
  autoVerifiedAttributes: VerifiableAttribute[];
  /** AdminCreateUserConfig.AllowAdminCreateUserOnly: self sign-up switched off. */
  signUpDisabled: boolean;
}

export interface ClientRules {
  clientId: string;
  poolId: string;
  /** Null when the app client has no secret. */
  secret: string | null;
  /** WriteAttributes; null when unset (then only the standard attributes are writable). */
  writeAttributes: string[] | null;
}

/**
 * Cognito's default policy for a new pool (min 8, all four character classes).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
 */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

/**
 * The standard (OpenID Connect) attributes every pool has, `sub` and the `*_verified` flags left
 * out: SignUp may not write those. https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 */
export const STANDARD_ATTRIBUTES: readonly string[] = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
];

function verifiable(values: readonly string[] | undefined): VerifiableAttribute[] {
  return (values ?? []).filter((v): v is VerifiableAttribute => v === 'email' || v === 'phone_number');
}

function maxLengthOf(value: string | undefined): number | null {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function poolRulesFrom(pool: UserPoolType): PoolRules {
  const policy = pool.Policies?.PasswordPolicy;
  // A pool described without a schema still has the standard attributes (and sub, email_verified…).
  const described = pool.SchemaAttributes ?? [];
  const schema: SchemaAttribute[] = described
    .filter((a) => a.Name !== undefined)
    .map((a) => ({
      name: a.Name ?? '',
      required: a.Required === true,
      maxLength: maxLengthOf(a.StringAttributeConstraints?.MaxLength),
    }));
  for (const name of ['sub', 'email_verified', 'phone_number_verified', ...STANDARD_ATTRIBUTES]) {
    if (!schema.some((a) => a.name === name)) schema.push({ name, required: false, maxLength: null });
  }
  return {
    poolId: pool.Id ?? '',
    passwordPolicy: {
      minimumLength: policy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.minimumLength,
      requireUppercase: policy?.RequireUppercase ?? false,
      requireLowercase: policy?.RequireLowercase ?? false,
      requireNumbers: policy?.RequireNumbers ?? false,
      requireSymbols: policy?.RequireSymbols ?? false,
    },
    schema,
    usernameAttributes: verifiable(pool.UsernameAttributes),
    aliasAttributes: pool.AliasAttributes ?? [],
    autoVerifiedAttributes: verifiable(pool.AutoVerifiedAttributes),
    signUpDisabled: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true,
  };
}

export function clientRulesFrom(client: UserPoolClientType): ClientRules {
  const secret = client.ClientSecret;
  return {
    clientId: client.ClientId ?? '',
    poolId: client.UserPoolId ?? '',
    secret: secret !== undefined && secret !== '' ? secret : null,
    writeAttributes:
      client.WriteAttributes !== undefined && client.WriteAttributes.length > 0
        ? client.WriteAttributes
        : null,
  };
}
