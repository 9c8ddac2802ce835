import { describe, expect, it } from 'vitest';
import { MASKED, shownCell } from './cell-display';

describe('shownCell', () => {
  it('masks a value in the column mapped to password', () => {
    expect(shownCell('Hunter2-Secret!', 'password')).toBe(MASKED);
    expect(MASKED).not.toContain('Hunter2');
  });

  it('shows every other column as it is, and an empty password as empty', () => {
    expect(shownCell('ann@example.com', 'email')).toBe('ann@example.com');
    expect(shownCell('Hunter2-Secret!', 'ignore')).toBe('Hunter2-Secret!');
    expect(shownCell('', 'password')).toBe('');
    expect(shownCell(undefined, 'password')).toBe('');
    expect(shownCell(undefined, undefined)).toBe('');
  });
});
