import { describe, expect, it } from 'vitest';
import { SeedPatternSchema } from '@shared/contract';
import { defaultSeedFields, seedFieldErrors, toSeedPattern } from './seed-pattern';

describe('seed pattern', () => {
  it('turns the default fields into a pattern the contract accepts', () => {
    const pattern = toSeedPattern(defaultSeedFields());
    expect(SeedPatternSchema.safeParse(pattern).success).toBe(true);
    expect(pattern).not.toHaveProperty('phonePrefix');
  });

  it('names the fields main would refuse', () => {
    const errors = seedFieldErrors({
      ...defaultSeedFields(),
      count: 0,
      usernameTemplate: 'qa-user',
      phonePrefix: '555',
      pad: 11,
    });
    expect(Object.keys(errors).sort()).toEqual(['count', 'pad', 'phonePrefix', 'usernameTemplate']);
    for (const [field, value] of [
      ['count', 0],
      ['usernameTemplate', 'qa-user'],
      ['phonePrefix', '555'],
      ['pad', 11],
    ] as const) {
      const contract = SeedPatternSchema.safeParse({ ...toSeedPattern(defaultSeedFields()), [field]: value });
      expect(contract.success, field).toBe(false);
    }
  });
});
