/**
 * The bounds hold against the requests the attack review sent, and refuse them quickly with a
 * message that says what to fix.
 */
import { describe, expect, it } from 'vitest';
import { contract } from './channels';

function issues(channel: keyof typeof contract, request: unknown): string[] {
  const parsed = contract[channel].request.safeParse(request);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('request bounds', () => {
  it('refuses a hundred-thousand-column mapping before parsing its keys', () => {
    const overrides: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) overrides[`c${i}`] = 'ignore';
    expect(issues('import:inspect', { path: '/data/users.csv', overrides })).toEqual([
      'overrides: At most 500 column mappings: a file has no more columns than that.',
    ]);
    // Keys too long to be headers are never looked at: the count refused the map first.
    const tooLong = Object.fromEntries(
      Array.from({ length: 501 }, (_, i) => [`${i}`.padEnd(300, 'x'), 'ignore']),
    );
    expect(issues('import:start', { path: 'u.csv', overrides: tooLong })).toContain(
      'overrides: At most 500 column mappings: a file has no more columns than that.',
    );
    expect(issues('import:start', { path: 'u.csv', overrides: tooLong }).join()).not.toMatch(
      /256 characters/,
    );
  });

  it('still takes a real mapping', () => {
    const overrides = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`col ${i}`, 'ignore']));
    expect(issues('import:dryRun', { path: 'u.csv', overrides, passwordSource: { kind: 'column' } })).toEqual(
      [],
    );
  });

  it('refuses two million outcomes in a log filter (was "too many SQL variables")', () => {
    const outcomes = Array<string>(2_000_000).fill('created');
    expect(issues('log:query', { outcomes })).toEqual(['outcomes: Choose at most the 5 outcomes.']);
    expect(issues('log:export', { format: 'csv', outcomes: ['created', 'exists'] })).toEqual([]);
  });

  it('refuses seed templates that would make huge users, naming the field', () => {
    const pattern = { count: 100_000, usernameTemplate: 'u{n}', emailTemplate: '{domain}'.repeat(25) };
    expect(issues('seed:preview', { ...pattern, domain: 'd'.repeat(200) })).toEqual([
      'emailTemplate: This template makes emails of up to 5000 characters; Cognito allows 2048. Shorten it.',
    ]);
    expect(
      issues('seed:preview', { count: 10, usernameTemplate: '{n}{domain}', domain: 'x'.repeat(200) }),
    ).toEqual([
      'usernameTemplate: This template makes usernames of up to 202 characters; Cognito allows 128. Shorten it.',
    ]);
    expect(
      issues('seed:preview', {
        count: 100_000,
        usernameTemplate: 'qa-{n}',
        emailTemplate: '{username}@{domain}',
      }),
    ).toEqual([]);
  });
});
