/**
 * The profiles as main last reported them, shared by the Profiles and Sign up screens so a
 * profile added or activated on one shows at once on the other.
 */
import type { Profile, ProfilesState } from '@shared/contract';

class ProfilesStore {
  profiles = $state<Profile[]>([]);
  activeId = $state<string | null>(null);
  loaded = $state(false);
  readonly active = $derived(this.profiles.find((p) => p.id === this.activeId) ?? null);

  apply(state: ProfilesState): void {
    this.profiles = state.profiles;
    this.activeId = state.activeId;
    this.loaded = true;
  }

  async refresh(): Promise<void> {
    this.apply(await window.api.profiles.list());
  }

  /** Replaces one profile in place after a call that returns just that profile. */
  replace(profile: Profile): void {
    const index = this.profiles.findIndex((p) => p.id === profile.id);
    if (index === -1) this.profiles = [...this.profiles, profile];
    else this.profiles[index] = profile;
  }
}

export const profilesStore = new ProfilesStore();
