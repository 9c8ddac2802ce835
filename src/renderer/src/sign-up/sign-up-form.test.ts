import { describe, expect, it, vi } from 'vitest';
import type { SignUpResult } from '@shared/contract';
import { SignUpFormState, type SignUpFormDeps } from './sign-up-form.svelte';

const PASSWORD = 'Corr3ct-Horse-Battery!';

function setup(answer: () => Promise<SignUpResult>, overrides: Partial<SignUpFormDeps> = {}) {
  const submit = vi.fn<SignUpFormDeps['api']['submit']>(answer);
  const onattempt = vi.fn();
  const onreveal = vi.fn();
  const state = new SignUpFormState({
    api: { submit },
    profiles: { profiles: [{ id: 'p1' }, { id: 'p2' }], activeId: 'p1' },
    onattempt,
    onreveal,
    ...overrides,
  });
  return { state, submit, onattempt, onreveal };
}

function fillValid(state: SignUpFormState): void {
  state.form.username = 'ada';
  state.form.password = PASSWORD;
  state.form.standard.email = 'ada@example.com';
}

describe('SignUpFormState', () => {
  it('shows a field’s message only once the field was left, and every message once submitted', async () => {
    const { state, submit, onreveal } = setup(() => Promise.reject(new Error('not reached')));
    state.form.username = 'has space';
    state.form.password = PASSWORD;
    state.form.standard.email = 'not-an-email';
    expect(state.errorFor('username')).toBeUndefined();
    state.blur('username');
    expect(state.errorFor('username')).toContain('cannot contain spaces');
    expect(state.errorFor('attr.email')).toBeUndefined();

    await state.submit();
    expect(state.errorFor('attr.email')).toContain('is not an email address');
    expect(submit).not.toHaveBeenCalled();
    expect(onreveal).toHaveBeenCalledOnce();
    expect(state.advancedOpen).toBe(false);
    // Nothing was sent, so the password is kept for the person to fix the rest.
    expect(state.form.password).toBe(PASSWORD);
  });

  it('opens the advanced section when the first problem is in it', async () => {
    const { state } = setup(() => Promise.reject(new Error('not reached')));
    fillValid(state);
    state.form.ipAddress = '999.1.1.1';
    await state.submit();
    expect(state.advancedOpen).toBe(true);
    expect(state.errorFor('userContextData.ipAddress')).toContain('not an IPv4 or IPv6 address');
  });

  it('sends the built input to the chosen profile, keeps the result, and forgets the password', async () => {
    const { state, submit, onattempt } = setup(() =>
      Promise.resolve({ outcome: 'created', userSub: 'sub-1', userConfirmed: false }),
    );
    fillValid(state);
    state.profile.id = 'p2';
    state.reveal = true;
    const sending = state.submit();
    expect(state.sending).toBe(true);
    expect(state.canSubmit).toBe(false);
    await sending;
    const request = submit.mock.calls[0]?.[0];
    expect(request?.profileId).toBe('p2');
    expect(request?.input).toMatchObject({
      username: 'ada',
      password: PASSWORD,
      attributes: [{ name: 'email', value: 'ada@example.com' }],
    });
    expect(state.result?.value.outcome).toBe('created');
    expect(state.result?.username).toBe('ada');
    expect(onattempt).toHaveBeenCalledOnce();
    expect(state.sending).toBe(false);
    expect(state.form.password).toBe('');
    expect(state.reveal).toBe(false);
  });

  it('puts main’s field errors next to the fields that produced them', async () => {
    const { state, onreveal } = setup(() =>
      Promise.resolve({ outcome: 'invalid', fieldErrors: { 'attributes.0.value': 'Rejected by main' } }),
    );
    fillValid(state);
    await state.submit();
    expect(state.errorFor('attr.email')).toBe('Rejected by main');
    expect(onreveal).toHaveBeenCalledOnce();
  });

  it('shows a failed call as a problem, with its field messages by field', async () => {
    const { state, onattempt } = setup(() =>
      Promise.reject(
        Object.assign(new Error('Bad'), { name: 'ValidationError', fields: { 'input.username': 'Taken' } }),
      ),
    );
    fillValid(state);
    await state.submit();
    expect(state.problem).toMatchObject({ name: 'ValidationError', message: 'Bad' });
    expect(state.errorFor('username')).toBe('Taken');
    expect(onattempt).not.toHaveBeenCalled();
    expect(state.form.password).toBe('');
  });

  it('sends nothing without a profile', async () => {
    const { state, submit } = setup(() => Promise.reject(new Error('not reached')), {
      profiles: { profiles: [], activeId: null },
    });
    fillValid(state);
    expect(state.canSubmit).toBe(false);
    await state.submit();
    expect(submit).not.toHaveBeenCalled();
    expect(state.submitted).toBe(false);
  });

  it('adds and removes standard and custom attributes, and clears the form', () => {
    const { state } = setup(() => Promise.reject(new Error('not reached')));
    expect(state.addable).toContain('zoneinfo');
    state.toAdd = 'zoneinfo';
    state.addAttribute();
    expect(state.form.added).toEqual(['zoneinfo']);
    expect(state.addable).not.toContain('zoneinfo');
    expect(state.toAdd).toBe('');
    state.removeAttribute('zoneinfo');
    expect(state.form.added).toEqual([]);
    expect(state.form.standard).not.toHaveProperty('zoneinfo');

    state.addCustom();
    state.addCustom();
    const [first, second] = state.form.custom;
    state.removeCustom(first?.key ?? -1);
    expect(state.form.custom).toEqual([second]);

    state.form.username = 'ada';
    state.blur('username');
    state.clear();
    expect(state.form.username).toBe('');
    expect(state.form.custom).toEqual([]);
    expect(state.touched).toEqual({});
  });
});
