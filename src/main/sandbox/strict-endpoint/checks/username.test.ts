import { describe, expect, it } from 'vitest';
import { poolRulesFrom, type PoolRules } from '../pool-rules';
import { checkUsername } from './username';

const plain = poolRulesFrom({ Id: 'p_1' });
const message = (username: string, pool: PoolRules) => checkUsername(username, pool)?.message ?? null;

describe('checkUsername', () => {
  it('takes any username in a pool without username or alias attributes', () => {
    expect(message('alice', plain)).toBeNull();
    expect(message('alice@example.com', plain)).toBeNull();
  });

  it('wants an email where the username is an email', () => {
    const pool = { ...plain, usernameAttributes: ['email' as const] };
    expect(checkUsername('alice', pool)).toMatchObject({
      type: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    expect(message('alice@example.com', pool)).toBeNull();
  });

  it('wants a phone number, or either, where the pool says so', () => {
    expect(message('alice', { ...plain, usernameAttributes: ['phone_number'] })).toBe(
      'Username should be a phone number.',
    );
    const both = { ...plain, usernameAttributes: ['email' as const, 'phone_number' as const] };
    expect(message('+14155550123', both)).toBeNull();
    expect(message('alice', both)).toBe('Username should be either an email or a phone number.');
  });

  it('refuses an email-shaped username where email is an alias', () => {
    expect(message('alice@example.com', { ...plain, aliasAttributes: ['email'] })).toMatch(/email alias/);
    expect(message('alice', { ...plain, aliasAttributes: ['email'] })).toBeNull();
  });
});
