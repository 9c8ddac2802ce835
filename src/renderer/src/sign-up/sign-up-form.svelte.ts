/**
 * The Sign up form's state apart from its markup: the fields, when a field's message shows, and
 * one submit at a time (idle → sending → a result or a problem). Every check comes from the shared
 * rules through form-model.ts, the same judge main applies. The api and the profile list come from
 * the caller, so the class runs in a unit test with neither a window nor a DOM.
 */
import type { Api } from '@shared/api';
import type { SignUpResult } from '@shared/contract';
import { validateSignUpInput } from '@shared/signup-rules';
import { buildInput, byField, emptyForm, isAdvanced, OTHER_ATTRIBUTES, type Built } from './form-model';
import { ProfileChoice, type ProfileList } from '../lib/profile-choice.svelte';
import { newRow } from '../lib/rows';
import { toProblem, type Problem } from '../lib/problem';

export interface SignUpFormDeps {
  api: Pick<Api['signUp'], 'submit'>;
  profiles: ProfileList;
  /** After each attempt main answered, so the Log screen can show it. */
  onattempt?: () => void;
  /** Once the section holding the first message is open: move focus to that field. */
  onreveal?: () => void | Promise<void>;
}

export class SignUpFormState {
  form = $state(emptyForm());
  reveal = $state(false);
  advancedOpen = $state(false);
  /** The standard attribute chosen in the "Add a standard attribute" picker. */
  toAdd = $state('');
  touched = $state<Record<string, boolean>>({});
  submitted = $state(false);
  sending = $state(false);
  serverErrors = $state<Record<string, string>>({});
  problem = $state<Problem | null>(null);
  result = $state<{ value: SignUpResult; username: string } | null>(null);
  readonly profile: ProfileChoice;
  readonly #deps: SignUpFormDeps;

  constructor(deps: SignUpFormDeps) {
    this.#deps = deps;
    this.profile = new ProfileChoice(deps.profiles);
  }

  get built(): Built {
    return buildInput(this.form);
  }

  /** The shared rules' messages for the form as it is now, keyed by field. */
  get localErrors(): Record<string, string> {
    const { input, fieldKey } = this.built;
    return byField(validateSignUpInput(input), fieldKey);
  }

  get addable(): string[] {
    return OTHER_ATTRIBUTES.filter((name) => !this.form.added.includes(name));
  }

  get canSubmit(): boolean {
    return !this.sending && this.profile.id !== null;
  }

  /** Messages appear once a field was left (or the form submitted), then follow the typing live. */
  errorFor(key: string): string | undefined {
    if (this.serverErrors[key]) return this.serverErrors[key];
    return this.submitted || this.touched[key] ? this.localErrors[key] : undefined;
  }

  blur(key: string): void {
    this.touched[key] = true;
  }

  addAttribute(): void {
    const name = this.toAdd;
    if (name === '' || this.form.added.includes(name)) return;
    this.form.added.push(name);
    this.form.standard[name] = '';
    this.toAdd = '';
  }

  removeAttribute(name: string): void {
    this.form.added = this.form.added.filter((n) => n !== name);
    delete this.form.standard[name];
  }

  addCustom(): void {
    this.form.custom.push(newRow());
  }

  removeCustom(key: number): void {
    this.form.custom = this.form.custom.filter((row) => row.key !== key);
  }

  /** "Clear form": empty fields and no messages; a problem banner stays until dismissed. */
  clear(): void {
    this.form = emptyForm();
    this.touched = {};
    this.submitted = false;
    this.serverErrors = {};
    this.result = null;
  }

  async submit(): Promise<void> {
    const profileId = this.profile.id;
    if (this.sending || profileId === null) return;
    this.submitted = true;
    this.serverErrors = {};
    this.problem = null;
    const { input, fieldKey } = this.built;
    const local = byField(validateSignUpInput(input), fieldKey);
    if (Object.keys(local).length > 0) {
      await this.#revealFirst(Object.keys(local));
      return;
    }
    this.sending = true;
    try {
      const value = await this.#deps.api.submit({ profileId, input });
      this.result = { value, username: input.username };
      if (value.outcome === 'invalid' && value.fieldErrors) {
        this.serverErrors = byField(value.fieldErrors, fieldKey);
        await this.#revealFirst(Object.keys(this.serverErrors));
      }
      this.#deps.onattempt?.();
    } catch (error) {
      const p = toProblem(error);
      // Main names fields by the request's paths ("input.attributes.0.value").
      if (p.fields) this.serverErrors = byField(p.fields, (path) => fieldKey(path.replace(/^input\./, '')));
      this.problem = p;
    } finally {
      this.sending = false;
      // The password goes no further than this one call.
      this.form.password = '';
      this.reveal = false;
      this.submitted = false;
      this.touched = {};
    }
  }

  async #revealFirst(keys: string[]): Promise<void> {
    if (keys.some(isAdvanced)) this.advancedOpen = true;
    await this.#deps.onreveal?.();
  }
}
