/** The password choice as the form edits it, and the request shape it becomes. */
import {
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicyInput,
  type PasswordSourceInput,
} from '@shared/contract';
import { checkPassword } from '@shared/signup-rules';

export type PasswordKind = PasswordSourceInput['kind'];

export interface PasswordChoice {
  kind: PasswordKind;
  shared: string;
  policy: PasswordPolicyInput;
}

/** Above Cognito's default policy (8 characters, all four classes) so it passes most pools' policies. */
export function defaultPasswordChoice(kind: PasswordKind): PasswordChoice {
  return {
    kind,
    shared: '',
    policy: { ...DEFAULT_PASSWORD_POLICY, minLength: 12 },
  };
}

/** What is wrong with the choice (shown next to the field), or null. */
export function passwordChoiceError(choice: PasswordChoice): string | null {
  if (choice.kind === 'shared') {
    if (choice.shared === '') return 'Enter the password every row gets.';
    return checkPassword(choice.shared);
  }
  if (choice.kind === 'generated') {
    const n = choice.policy.minLength;
    if (!Number.isInteger(n) || n < 6 || n > 99) return 'The length must be a whole number from 6 to 99.';
  }
  return null;
}

export function toPasswordSource(choice: PasswordChoice): PasswordSourceInput {
  if (choice.kind === 'shared') return { kind: 'shared', password: choice.shared };
  if (choice.kind === 'generated') return { kind: 'generated', policy: { ...choice.policy } };
  return { kind: 'column' };
}
