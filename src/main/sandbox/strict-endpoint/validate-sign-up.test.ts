import { describe, expect, it } from 'vitest';
import { poolRulesFrom, type ClientRules } from './pool-rules';
import { parseSignUpRequest } from './sign-up-request';
import { validateSignUp } from './validate-sign-up';

const pool = poolRulesFrom({
  Id: 'p_1',
  Policies: {
    PasswordPolicy: {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    },
  },
  SchemaAttributes: [{ Name: 'email', Required: true }],
});
const client: ClientRules = { clientId: 'c', poolId: 'p_1', secret: null, writeAttributes: null };
const signUp = (password: string, attributes: Array<{ Name: string; Value: string }>) =>
  parseSignUpRequest(
    Buffer.from(
      JSON.stringify({ ClientId: 'c', Username: 'u', Password: password, UserAttributes: attributes }),
    ),
  );
const email = { Name: 'email', Value: 'u@example.com' };

describe('validateSignUp', () => {
  it('passes a sign-up that meets every rule', () => {
    expect(validateSignUp(signUp('Passw0rd!', [email]), pool, client)).toBeNull();
  });

  it('answers the first refusal: attributes before the password', () => {
    expect(validateSignUp(signUp('abc', [email, { Name: 'custom:x', Value: '1' }]), pool, client)?.type).toBe(
      'InvalidParameterException',
    );
    expect(validateSignUp(signUp('abc', [email]), pool, client)?.type).toBe('InvalidPasswordException');
  });

  it('refuses every sign-up where only administrators may create users', () => {
    expect(
      validateSignUp(signUp('Passw0rd!', [email]), { ...pool, signUpDisabled: true }, client),
    ).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'SignUp is not permitted for this user pool',
    });
  });
});
