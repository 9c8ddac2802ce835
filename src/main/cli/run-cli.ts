/**
 * The CLI's entry: argv in, exit code out. bin/signup-desk.js calls it with the real process; tests
 * call it in-process with their own streams, env and collaborators (a SecretStore, a data folder).
 */
import { toErrorShape } from '../errors';
import { dataHome } from '../paths';
import type { CliContext, CliDeps, CliIo, CliServices } from './command';
import { COMMANDS, findCommand } from './commands';
import { EXIT, exitCodeForError, type ExitCode } from './exit-codes';
import { errorLines, writeLines } from './output';
import { UsageError } from './usage-error';

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: signup-desk <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `signup-desk <command> --help` for a command’s options.',
    'Data folder: $SIGNUP_DESK_HOME, else the app’s own (profiles and the log are shared with the app).',
    'Exit codes: 0 done/created; 1 Cognito refused the sign-up (import: rows failed); 2 invalid input or',
    '            usage; 3 configuration or connection problem (import: the job stopped on a quota or',
    '            configuration error); 130 interrupted (import: paused by Ctrl-C, resume it).',
  ].join('\n');
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** The data folder, from the caller's env (not necessarily process.env when run in-process). */
function homeFor(io: CliIo, deps: CliDeps): string {
  if (deps.home !== undefined) return deps.home;
  const override = io.env['SIGNUP_DESK_HOME'];
  return override !== undefined && override !== '' ? override : dataHome();
}

async function defaultServices(home: string, deps: CliDeps): Promise<CliServices> {
  // Loaded on demand: `--help` and usage errors should not pay for the AWS SDK and SQLite.
  const secrets = deps.secrets ?? (await import('../keychain/secret-store')).createKeytarSecretStore();
  if (deps.createServices !== undefined) return deps.createServices({ home, secrets });
  const { createServices } = await import('../services');
  // Commands that need no database (profiles) keep working when it is damaged.
  return createServices({ home, secrets, openDatabase: 'on first use' });
}

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined) {
    writeLines(io.stderr, [topUsage()]);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    writeLines(io.stdout, [topUsage()]);
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (command === undefined) {
    writeLines(io.stderr, [`signup-desk: unknown command "${name}".`, '', topUsage()]);
    return EXIT.usage;
  }
  if (wantsHelp(args)) {
    writeLines(io.stdout, [command.usage]);
    return EXIT.ok;
  }

  const home = homeFor(io, deps);
  let opened: Promise<CliServices> | undefined;
  const context: CliContext = {
    io,
    home,
    services: () => (opened ??= defaultServices(home, deps)),
  };
  try {
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      writeLines(io.stderr, [
        `signup-desk ${command.name}: ${error.message}`,
        `Run \`signup-desk ${command.name} --help\` for usage.`,
      ]);
      return EXIT.usage;
    }
    const shape = toErrorShape(error);
    const lines = errorLines(shape);
    for (const [field, message] of Object.entries(shape.fields ?? {}))
      lines.splice(1, 0, `  ${field}: ${message}`);
    writeLines(io.stderr, lines);
    return exitCodeForError(shape);
  } finally {
    if (opened !== undefined) {
      try {
        await (await opened).close();
      } catch {
        // Opening failed (already reported above) or closing failed: nothing left to report.
      }
    }
  }
}
