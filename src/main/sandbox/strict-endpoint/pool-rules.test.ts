import { describe, expect, it } from 'vitest';
import { clientRulesFrom, DEFAULT_PASSWORD_POLICY, poolRulesFrom } from './pool-rules';

describe('poolRulesFrom', () => {
  it('reads the policy, schema, username and auto-verified attributes as DescribeUserPool gives them', () => {
    const rules = poolRulesFrom({
      Id: 'local_abc',
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireNumbers: false } },
      SchemaAttributes: [
        { Name: 'email', Required: true, StringAttributeConstraints: { MaxLength: '2048' } },
        { Name: 'custom:team', Required: false },
      ],
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(rules).toMatchObject({
      poolId: 'local_abc',
      passwordPolicy: {
        minimumLength: 10,
        requireUppercase: true,
        requireLowercase: false,
        requireNumbers: false,
        requireSymbols: false,
      },
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      signUpDisabled: true,
    });
    expect(rules.schema).toContainEqual({ name: 'email', required: true, maxLength: 2048 });
    expect(rules.schema).toContainEqual({ name: 'custom:team', required: false, maxLength: null });
    // Standard attributes exist even when the description lists only some.
    expect(rules.schema.map((a) => a.name)).toContain('zoneinfo');
  });

  it('falls back to the default minimum length when the pool has no policy', () => {
    expect(poolRulesFrom({ Id: 'p_1' }).passwordPolicy.minimumLength).toBe(
      DEFAULT_PASSWORD_POLICY.minimumLength,
    );
  });
});

describe('clientRulesFrom', () => {
  it('reads the secret and write permissions, treating empty ones as unset', () => {
    expect(
      clientRulesFrom({ ClientId: 'c', UserPoolId: 'p_1', ClientSecret: 's', WriteAttributes: ['email'] }),
    ).toEqual({ clientId: 'c', poolId: 'p_1', secret: 's', writeAttributes: ['email'] });
    expect(
      clientRulesFrom({ ClientId: 'c', UserPoolId: 'p_1', ClientSecret: '', WriteAttributes: [] }),
    ).toEqual({
      clientId: 'c',
      poolId: 'p_1',
      secret: null,
      writeAttributes: null,
    });
  });
});
