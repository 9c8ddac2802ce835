import { describe, expect, it } from 'vitest';
import {
  productionHeadroomWarning,
  publicEndpoint,
  quotaAccountKey,
  sharedQuotaText,
  userCreationQuota,
} from './quota-rules';

describe('quotaAccountKey', () => {
  it('no endpoint is the public regional endpoint: the same key as naming it', () => {
    expect(quotaAccountKey({ region: 'eu-west-1' })).toBe(
      quotaAccountKey({ region: 'eu-west-1', endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/' }),
    );
    expect(quotaAccountKey({ region: 'eu-west-1', endpoint: '' })).toBe(
      quotaAccountKey({ region: 'eu-west-1' }),
    );
    expect(publicEndpoint('cn-north-1')).toBe('https://cognito-idp.cn-north-1.amazonaws.com.cn');
  });

  it('another region or another endpoint is another budget', () => {
    const base = quotaAccountKey({ region: 'eu-west-1' });
    expect(quotaAccountKey({ region: 'us-east-1' })).not.toBe(base);
    expect(quotaAccountKey({ region: 'eu-west-1', endpoint: 'http://localhost:9229' })).not.toBe(base);
  });

  it('an account id makes the key exact, per region, whatever the endpoint', () => {
    const a = quotaAccountKey({ region: 'eu-west-1', accountId: '123456789012' });
    expect(
      quotaAccountKey({ region: 'eu-west-1', accountId: '123456789012', endpoint: 'https://x.example' }),
    ).toBe(a);
    expect(quotaAccountKey({ region: 'us-east-1', accountId: '123456789012' })).not.toBe(a);
    expect(quotaAccountKey({ region: 'eu-west-1', accountId: '210987654321' })).not.toBe(a);
    expect(a).not.toBe(quotaAccountKey({ region: 'eu-west-1' }));
  });
});

describe('the quota and the production warning', () => {
  it('defaults to AWS default of 50', () => {
    expect(userCreationQuota({})).toBe(50);
    expect(userCreationQuota({ userCreationQuota: 200 })).toBe(200);
  });

  it('warns above 80 % of the quota, not at or below it', () => {
    expect(productionHeadroomWarning(40, 50)).toBeNull();
    expect(productionHeadroomWarning(41, 50)).toContain('leaves 9/s');
    expect(productionHeadroomWarning(50, 50)).toContain('leaves 0/s');
    expect(productionHeadroomWarning(150, 200)).toBeNull();
  });

  it('names the split only when jobs share', () => {
    expect(sharedQuotaText(2, 50)).toBe('2 jobs share 50/s');
    expect(sharedQuotaText(1, 50)).toBeNull();
  });
});
