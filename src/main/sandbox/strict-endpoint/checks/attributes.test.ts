import { describe, expect, it } from 'vitest';
import { poolRulesFrom, type ClientRules } from '../pool-rules';
import { checkAttributesExist, checkRequired, checkValues, checkWritable } from './attributes';

const pool = poolRulesFrom({
  Id: 'p_1',
  SchemaAttributes: [
    { Name: 'email', Required: true },
    { Name: 'custom:department', StringAttributeConstraints: { MaxLength: '5' } },
  ],
});
const client: ClientRules = { clientId: 'cid', poolId: 'p_1', secret: null, writeAttributes: null };
const attr = (name: string, value = 'x') => ({ name, value });

describe('checkAttributesExist', () => {
  it('accepts standard and schema attributes', () => {
    expect(
      checkAttributesExist([attr('email'), attr('given_name'), attr('custom:department')], pool.schema),
    ).toBeNull();
  });

  it('names each attribute the schema does not have', () => {
    expect(checkAttributesExist([attr('custom:nope'), attr('email')], pool.schema)).toMatchObject({
      type: 'InvalidParameterException',
      message:
        'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
  });
});

describe('checkWritable', () => {
  it('lets a client without WriteAttributes write the standard attributes only', () => {
    expect(checkWritable([attr('email'), attr('zoneinfo')], client)).toBeNull();
    for (const name of ['custom:department', 'email_verified', 'sub']) {
      expect(checkWritable([attr(name)], client)).toMatchObject({
        type: 'NotAuthorizedException',
        message: 'A client attempted to write unauthorized attribute',
      });
    }
  });

  it('holds a client with WriteAttributes to its list', () => {
    const listed = { ...client, writeAttributes: ['email', 'custom:department'] };
    expect(checkWritable([attr('custom:department')], listed)).toBeNull();
    expect(checkWritable([attr('given_name')], listed)).toMatchObject({ type: 'NotAuthorizedException' });
  });
});

describe('checkRequired', () => {
  it('refuses a sign-up without a required attribute, or with it empty', () => {
    for (const attributes of [[], [attr('email', '')]]) {
      expect(checkRequired(attributes, pool)).toMatchObject({
        type: 'InvalidParameterException',
        message: 'Attributes did not conform to the schema: email: The attribute is required',
      });
    }
    expect(checkRequired([attr('email', 'a@example.com')], pool)).toBeNull();
  });

  it('counts the username as the email in a pool whose username is an email', () => {
    expect(checkRequired([], { ...pool, usernameAttributes: ['email'] })).toBeNull();
  });
});

describe('checkValues', () => {
  it('refuses a value longer than the schema allows', () => {
    expect(checkValues([attr('custom:department', 'toolong')], pool.schema)).toMatchObject({
      type: 'InvalidParameterException',
      message:
        'Attributes did not conform to the schema: custom:department: String must be no longer than 5 characters',
    });
  });

  it('refuses a malformed email or phone number', () => {
    expect(checkValues([attr('email', 'not-an-email')], pool.schema)).toMatchObject({
      message: 'Invalid email address format.',
    });
    expect(checkValues([attr('phone_number', '0123 456')], pool.schema)).toMatchObject({
      message: 'Invalid phone number format.',
    });
    expect(
      checkValues([attr('email', 'a@example.com'), attr('phone_number', '+14155550123')], pool.schema),
    ).toBeNull();
  });
});
