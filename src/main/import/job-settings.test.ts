import { quotaAccountKey, userCreationQuota } from '@shared/quota-rules';
import { describe, expect, it } from 'vitest';
import { readSettings, storableSettings, type JobSettings } from './job-settings';

const stored = (connection: Record<string, unknown>): string =>
  JSON.stringify({
    connection,
    overrides: {},
    mapping: { columns: [], unknown: [], missingRequired: [], duplicates: [] },
    delimiter: ',',
    encoding: 'utf-8',
    passwordSource: { kind: 'column' },
    rate: 10,
    concurrency: 2,
    caseSensitiveUsernames: false,
  });

describe("a job's sign-up budget, as stored with its connection", () => {
  it('a job stored before accounts and quotas reads back as region + endpoint and 50/s', () => {
    const old = readSettings('old', stored({ region: 'eu-west-1', clientId: 'abc' }));
    expect(quotaAccountKey(old.connection)).toBe(quotaAccountKey({ region: 'eu-west-1' }));
    expect(userCreationQuota(old.connection)).toBe(50);
  });

  it("keeps the profile's account id and quota through a store and a read", () => {
    const settings: JobSettings = readSettings(
      'new',
      stored({ region: 'eu-west-1', clientId: 'abc', accountId: '123456789012', userCreationQuota: 200 }),
    );
    const again = readSettings('new', storableSettings(settings));
    expect(quotaAccountKey(again.connection)).toBe('account:123456789012:eu-west-1');
    expect(userCreationQuota(again.connection)).toBe(200);
  });

  it('refuses a stored quota that is not a positive whole number', () => {
    expect(() =>
      readSettings('bad', stored({ region: 'eu-west-1', clientId: 'abc', userCreationQuota: -5 })),
    ).toThrow(/connection.userCreationQuota/);
  });
});
