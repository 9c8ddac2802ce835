/** What a choice reads: the profiles and which one is active (profilesStore, or a test's list). */
export interface ProfileList {
  readonly profiles: readonly { readonly id: string }[];
  readonly activeId: string | null;
}

/**
 * The profile a form sends to: the one the user picked while it still exists, else the active
 * one, else the first. Worked out on every read rather than stored, so a deleted or newly
 * activated profile is reflected without anything (such as an effect) having to write it back.
 */
export class ProfileChoice {
  #picked = $state<string | null>(null);
  readonly #list: ProfileList;

  constructor(list: ProfileList) {
    this.#list = list;
  }

  get id(): string | null {
    const ids = this.#list.profiles.map((p) => p.id);
    if (this.#picked !== null && ids.includes(this.#picked)) return this.#picked;
    return this.#list.activeId ?? ids[0] ?? null;
  }

  set id(value: string | null) {
    this.#picked = value;
  }
}
