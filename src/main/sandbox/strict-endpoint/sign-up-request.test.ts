import { describe, expect, it } from 'vitest';
import { parseSignUpRequest } from './sign-up-request';

const parse = (text: string) => parseSignUpRequest(Buffer.from(text));

describe('parseSignUpRequest', () => {
  it('reads the fields the checks use', () => {
    expect(
      parse(
        JSON.stringify({
          ClientId: 'c',
          Username: 'u',
          Password: 'p',
          SecretHash: 'h',
          UserAttributes: [{ Name: 'email', Value: 'u@example.com' }],
        }),
      ),
    ).toEqual({
      clientId: 'c',
      username: 'u',
      password: 'p',
      secretHash: 'h',
      attributes: [{ name: 'email', value: 'u@example.com' }],
      problem: null,
    });
  });

  it('keeps a request with a problem for a body that is no SignUp', () => {
    expect(parse('not json').problem).toMatchObject({ type: 'SerializationException' });
    expect(parse('{"Username":"u"}')).toMatchObject({
      username: 'u',
      problem: { type: 'InvalidParameterException' },
    });
  });
});
