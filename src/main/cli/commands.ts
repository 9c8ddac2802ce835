/**
 * The command table: the one place a command is registered. To add one (e.g. `import`, `jobs`),
 * write `<name>-command.ts` exporting a Command and add it here; help and dispatch pick it up.
 */
import type { Command } from './command';
import { importCommand } from './import-command';
import { jobsCommand } from './jobs-command';
import { logCommand } from './log-command';
import { profilesCommand } from './profiles-command';
import { signupCommand } from './signup-command';

export const COMMANDS: readonly Command[] = [
  signupCommand,
  importCommand,
  jobsCommand,
  profilesCommand,
  logCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
