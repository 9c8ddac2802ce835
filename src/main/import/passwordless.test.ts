/** Password is optional in SignUp (docs/cognito.md#password): passwordless rows and requests. */
import { describe, expect, it } from 'vitest';
import { validateSignUpInput } from '@shared/signup-rules';
import { PasswordSourceSchema } from '@shared/contract';
import { buildSignUpRequest } from '../cognito/sign-up-call';
import { resumePasswordSource, storedPasswordSource } from './password-source';

describe('passwordless sign-up', () => {
  const input = { username: 'ann', attributes: [], validationData: [], clientMetadata: [] };

  it('validates without a password and sends no Password field', () => {
    expect(validateSignUpInput(input)).toEqual({});
    const request = buildSignUpRequest({ region: 'us-east-1', clientId: 'c1', secret: null }, input);
    expect('Password' in request).toBe(false);
  });

  it('is a password source kind the contract, the stored settings and a resume accept', () => {
    expect(PasswordSourceSchema.parse({ kind: 'none' })).toEqual({ kind: 'none' });
    expect(storedPasswordSource({ kind: 'none' })).toEqual({ kind: 'none' });
    expect(resumePasswordSource({ kind: 'none' }, undefined)).toEqual({ kind: 'none' });
  });
});
