/** The QA seeding form's fields and the pattern request they make (src/shared/contract.ts SeedPatternSchema). */
import type { SeedPatternInput } from '@shared/contract';

export interface SeedFields {
  count: number;
  usernameTemplate: string;
  emailTemplate: string;
  domain: string;
  phonePrefix: string;
  start: number;
  pad: number;
}

export function defaultSeedFields(): SeedFields {
  return {
    count: 50,
    usernameTemplate: 'qa-user-{n}',
    emailTemplate: '{username}@{domain}',
    domain: 'example.com',
    phonePrefix: '',
    start: 1,
    pad: 3,
  };
}

export function toSeedPattern(fields: SeedFields): SeedPatternInput {
  return {
    count: fields.count,
    usernameTemplate: fields.usernameTemplate.trim(),
    ...(fields.emailTemplate.trim() !== '' && { emailTemplate: fields.emailTemplate.trim() }),
    ...(fields.domain.trim() !== '' && { domain: fields.domain.trim() }),
    ...(fields.phonePrefix.trim() !== '' && { phonePrefix: fields.phonePrefix.trim() }),
    start: fields.start,
    pad: fields.pad,
  };
}

/** Field → message for what the form can tell before asking main. */
export function seedFieldErrors(fields: SeedFields): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Number.isInteger(fields.count) || fields.count < 1 || fields.count > 100_000)
    errors['count'] = 'Choose from 1 to 100,000 users.';
  if (!fields.usernameTemplate.includes('{n}'))
    errors['usernameTemplate'] = 'The username template needs {n} so each user is unique.';
  else if (/\s/.test(fields.usernameTemplate))
    errors['usernameTemplate'] = 'A username cannot contain spaces.';
  if (fields.phonePrefix.trim() !== '' && !/^\+[1-9]\d{0,10}$/.test(fields.phonePrefix.trim()))
    errors['phonePrefix'] = 'A phone prefix is “+” and digits, e.g. +1555.';
  if (!Number.isInteger(fields.start) || fields.start < 0) errors['start'] = 'Start from 0 or more.';
  if (!Number.isInteger(fields.pad) || fields.pad < 0 || fields.pad > 10)
    errors['pad'] = 'From 0 to 10 digits.';
  return errors;
}
