/**
 * Where the rows' passwords come from, checked once for the dry run, a start and a resume: a
 * shared password must pass the form's rules, a generator's policy must be one Cognito allows.
 */
import { checkPassword } from '@shared/signup-rules';
import { AppError } from '../errors';
import type { StoredPasswordSource } from './job-settings';
import { assertPasswordPolicy, generatePassword } from './password-generator';
import type { PasswordSource } from './row-builder';

/** Throws InvalidPassword (no echo of the value) or InvalidPasswordPolicy. */
export function checkPasswordSource(source: PasswordSource): void {
  if (source.kind === 'shared') {
    const problem = checkPassword(source.password);
    if (problem !== null)
      throw new AppError('InvalidPassword', `The password for every row is not usable: ${problem}`);
  } else if (source.kind === 'generated') assertPasswordPolicy(source.policy);
}

/**
 * The source rows are judged with: generated passwords are valid by construction, so one sample
 * stands in instead of drawing a crypto-random password for every row only to check it.
 */
export function judgingPasswordSource(source: PasswordSource): PasswordSource {
  return source.kind === 'generated' ? { kind: 'shared', password: generatePassword(source.policy) } : source;
}

/** What is stored with a job: a shared password itself never is. */
export function storedPasswordSource(source: PasswordSource): StoredPasswordSource {
  return source.kind === 'generated' ? { kind: 'generated', policy: source.policy } : { kind: source.kind };
}

/** The source a resume or retry sends with: the stored one, completed by what the caller gives. */
export function resumePasswordSource(
  stored: StoredPasswordSource,
  given: PasswordSource | undefined,
): PasswordSource {
  if (given !== undefined && given.kind !== stored.kind)
    throw new AppError(
      'PasswordSourceMismatch',
      `This job ${stored.kind === 'none' ? 'sends no passwords' : `takes its passwords from ${stored.kind === 'column' ? 'a column' : `a ${stored.kind} password`}`}; resume it the same way.`,
    );
  if (stored.kind === 'column') return { kind: 'column' };
  if (stored.kind === 'none') return { kind: 'none' };
  if (stored.kind === 'generated') return given ?? { kind: 'generated', policy: stored.policy };
  if (given === undefined)
    throw new AppError(
      'PasswordNeeded',
      'This job gives every row the same password, which is never stored: enter it again to resume.',
    );
  checkPasswordSource(given);
  return given;
}
