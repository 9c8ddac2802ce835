/**
 * The CLI's exit codes, so a pipeline can branch on what happened without parsing text.
 * 1 is Cognito refusing this one user; 3 is "nothing will work until the setup is fixed".
 */
import type { Outcome } from '@shared/contract';

export const EXIT = {
  /** The user was created (or the command did what it was asked). */
  ok: 0,
  /** Cognito refused this sign-up: the user exists, or Cognito rejected the input. */
  refused: 1,
  /** Invalid input or wrong usage: nothing was sent. */
  usage: 2,
  /** Configuration or connection problem: profile not found, keychain unavailable, bad secret, network. */
  configuration: 3,
  /** Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention): an import paused cleanly. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForOutcome(outcome: Outcome): ExitCode {
  switch (outcome) {
    case 'created':
      return EXIT.ok;
    case 'exists':
    case 'rejected':
      return EXIT.refused;
    case 'invalid':
      return EXIT.usage;
    case 'error':
      return EXIT.configuration;
  }
}
