import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { createCognitoClient } from './client';
import { classifyError, outcomeFor } from './errors';
import { freePort } from '../sandbox/cognito-local-launcher';

/** The shape the SDK gives service exceptions. */
function sdkError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-123' },
  });
}

describe('classifyError', () => {
  it.each([
    ['TooManyRequestsException', 400, 'transient'],
    ['InternalErrorException', 500, 'transient'],
    ['SomethingNew', 502, 'transient'],
    ['LimitExceededException', 400, 'quota'],
    ['NotAuthorizedException', 400, 'config'],
    ['ResourceNotFoundException', 400, 'config'],
    ['ForbiddenException', 403, 'config'],
    ['InvalidSmsRoleAccessPolicyException', 400, 'config'],
    ['InvalidSmsRoleTrustRelationshipException', 400, 'config'],
    ['InvalidEmailRoleAccessPolicyException', 400, 'config'],
    ['InvalidParameterException', 400, 'row'],
    ['InvalidPasswordException', 400, 'row'],
    ['UserLambdaValidationException', 400, 'row'],
    ['CodeDeliveryFailureException', 400, 'row'],
    ['InvalidLambdaResponseException', 400, 'config'],
    ['UnexpectedLambdaException', 400, 'config'],
    ['OperationNotEnabledException', 400, 'config'],
    ['UsernameExistsException', 400, 'exists'],
  ] as const)('%s (HTTP %i) → %s', (name, status, category) => {
    const classified = classifyError(sdkError(name, 'msg', status));
    expect(classified).toMatchObject({ category, name, message: 'msg', requestId: 'req-123' });
  });

  it('stops on the errors every row will get (docs/cognito.md#errors)', () => {
    expect(
      classifyError(
        sdkError(
          'InvalidParameterException',
          'Client 123 is not configured for secret but secret hash was received',
        ),
      ),
    ).toMatchObject({ category: 'config', hint: expect.stringMatching(/no secret/) });
    expect(
      classifyError(sdkError('NotAuthorizedException', 'SignUp is not permitted for this user pool')),
    ).toMatchObject({ category: 'config', hint: expect.stringMatching(/Self sign-up is not allowed/) });
    expect(classifyError(sdkError('InvalidParameterException', 'Attributes did not conform'))).toMatchObject({
      category: 'row',
    });
  });

  it('maps categories to outcomes', () => {
    expect(outcomeFor('exists')).toBe('exists');
    expect(outcomeFor('row')).toBe('rejected');
    expect(outcomeFor('transient')).toBe('error');
    expect(outcomeFor('quota')).toBe('error');
    expect(outcomeFor('config')).toBe('error');
  });

  it('explains secret hash problems in plain words', () => {
    expect(
      classifyError(sdkError('NotAuthorizedException', 'Unable to verify secret hash for client abc')).hint,
    ).toMatch(/check this profile's client secret/);
    expect(
      classifyError(sdkError('NotAuthorizedException', 'SecretHash does not match for the client: abc')).hint,
    ).toMatch(/check this profile's client secret/);
    expect(
      classifyError(
        sdkError('NotAuthorizedException', 'Client abc is configured for secret but secret was not received'),
      ).hint,
    ).toMatch(/add it to this profile/);
    expect(
      classifyError(
        sdkError(
          'NotAuthorizedException',
          'Client abc is configured with secret but SECRET_HASH was not received',
        ),
      ).hint,
    ).toMatch(/add it to this profile/);
    expect(
      classifyError(sdkError('NotAuthorizedException', 'Client abc is not configured with secret')).hint,
    ).toMatch(/has no secret, but one was sent/);
    expect(
      classifyError(sdkError('NotAuthorizedException', 'SignUp is not permitted for this user pool')).hint,
    ).toMatch(/Self sign-up is not allowed/);
    expect(
      classifyError(sdkError('ResourceNotFoundException', 'User pool client abc does not exist.')).hint,
    ).toMatch(/client id and region/);
    expect(classifyError(sdkError('LimitExceededException', 'Exceeded daily email limit')).hint).toMatch(
      /quota/,
    );
  });

  it('treats socket errors, timeouts and resets as transient; a refused connection or no DNS name as unreachable', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      const error = Object.assign(new Error(`connect ${code}`), { code });
      expect(classifyError(error)).toMatchObject({ category: 'transient', name: code });
    }
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      const error = Object.assign(new Error(`connect ${code}`), { code });
      expect(classifyError(error)).toMatchObject({ category: 'unreachable', name: code });
    }
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(classifyError(wrapped).category).toBe('transient');
    expect(classifyError(Object.assign(new Error('timed out'), { name: 'TimeoutError' })).category).toBe(
      'transient',
    );
  });

  it('classifies a real refused connection from the SDK as unreachable, with a hint', async () => {
    const port = await freePort();
    const client = createCognitoClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
    });
    const error = await client
      .send(new SignUpCommand({ ClientId: 'abc', Username: 'u', Password: 'p' }))
      .then(
        () => null,
        (e: unknown) => e,
      );
    const classified = classifyError(error);
    expect(classified.category).toBe('unreachable');
    expect(classified.hint).toMatch(/Nothing is listening|connection/);
  });

  it('copes with things that are not errors', () => {
    expect(classifyError('boom')).toMatchObject({ name: 'Error', message: 'boom' });
    expect(classifyError(undefined).message).toBe('undefined');
  });
});
