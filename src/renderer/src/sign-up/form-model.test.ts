import { describe, expect, it } from 'vitest';
import { validateSignUpInput } from '@shared/signup-rules';
import { buildInput, byField, emptyForm, isAdvanced } from './form-model';

describe('buildInput', () => {
  it('sends only filled standard attributes, prefixes custom ones, and keeps optional parts out when empty', () => {
    const form = emptyForm();
    form.username = 'ada';
    form.password = 'Secret123!';
    form.standard.email = 'ada@example.com';
    form.custom = [{ key: 7, name: 'tenant', value: 'acme' }];
    const { input } = buildInput(form);
    expect(input.attributes).toEqual([
      { name: 'email', value: 'ada@example.com' },
      { name: 'custom:tenant', value: 'acme' },
    ]);
    expect(input.analyticsEndpointId).toBeUndefined();
    expect(input.userContextData).toBeUndefined();
  });

  it('does not double the custom: prefix when the user typed it', () => {
    const form = emptyForm();
    form.custom = [{ key: 1, name: 'custom:plan', value: 'pro' }];
    expect(buildInput(form).input.attributes).toEqual([{ name: 'custom:plan', value: 'pro' }]);
  });

  it('maps validation paths back to the field that produced them', () => {
    const form = emptyForm();
    form.username = 'has space';
    form.password = 'ok-password';
    form.standard.email = 'ada@example.com';
    form.standard.phone_number = '441234567890';
    form.custom = [{ key: 3, name: '', value: '' }];
    form.validationData = [{ key: 9, name: ' ', value: 'x' }];
    form.ipAddress = 'not-an-ip';
    const { input, fieldKey } = buildInput(form);
    const errors = byField(validateSignUpInput(input), fieldKey);
    expect(Object.keys(errors).sort()).toEqual(
      [
        'attr.phone_number',
        'custom.3.name',
        'custom.3.value',
        'userContextData.ipAddress',
        'username',
        'validationData.0.name',
      ].sort(),
    );
    expect(errors['attr.phone_number']).toContain('missing the leading "+"');
    expect(isAdvanced('validationData.0.name')).toBe(true);
    expect(isAdvanced('attr.email')).toBe(false);
  });
});
