import { describe, expect, it } from 'vitest';
import { ProfileChoice, type ProfileList } from './profile-choice.svelte';

function list(ids: string[], activeId: string | null): ProfileList {
  return { profiles: ids.map((id) => ({ id })), activeId };
}

describe('ProfileChoice', () => {
  it('is the active profile, else the first, else none', () => {
    expect(new ProfileChoice(list(['a', 'b'], 'b')).id).toBe('b');
    expect(new ProfileChoice(list(['a', 'b'], null)).id).toBe('a');
    expect(new ProfileChoice(list([], null)).id).toBeNull();
  });

  it('keeps the pick while that profile exists and falls back once it is gone', () => {
    const profiles = { profiles: [{ id: 'a' }, { id: 'b' }], activeId: 'a' };
    const choice = new ProfileChoice(profiles);
    choice.id = 'b';
    expect(choice.id).toBe('b');
    profiles.profiles = [{ id: 'a' }];
    expect(choice.id).toBe('a');
  });
});
