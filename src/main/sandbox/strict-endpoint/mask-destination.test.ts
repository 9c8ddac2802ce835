import { describe, expect, it } from 'vitest';
import { maskDestination } from './mask-destination';

describe('maskDestination', () => {
  it('keeps the first character of the local part and of the domain of an email', () => {
    expect(maskDestination('alice@example.com')).toBe('a***@e***');
  });
  it('keeps the + and the last four digits of a phone number', () => {
    expect(maskDestination('+14155550123')).toBe('+*******0123');
  });
  it('hides anything too short to keep a part of', () => {
    expect(maskDestination('+123')).toBe('***');
  });
});
