/**
 * Argument parsing for every command: node:util parseArgs in strict mode, with its errors reworded
 * as UsageError (exit 2). Messages name options but never echo values: a value typed by mistake
 * may be a password. https://nodejs.org/api/util.html#utilparseargsconfig
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { NameValue } from '@shared/signup-rules';
import { UsageError } from './usage-error';

/** Options that would put a secret on the command line (visible in `ps` and shell history). */
const SECRET_FLAGS: Record<string, string> = {
  password:
    'A password is never taken as a command-line flag: other users can read it in `ps` and it stays in your shell history. Use --password-env VAR (the name of an environment variable holding it) or --password-stdin.',
  'client-secret':
    'A client secret is never taken as a command-line flag: use --client-secret-env VAR, or store it in the keychain with `signup-desk profiles set-secret NAME` (reads stdin) and use --profile.',
  secret:
    'A secret is never taken as a command-line flag: `signup-desk profiles set-secret NAME` reads it from stdin.',
};

function optionName(arg: string): string | null {
  if (!arg.startsWith('--')) return null;
  const name = arg.slice(2);
  const eq = name.indexOf('=');
  return eq === -1 ? name : name.slice(0, eq);
}

/** Refuses secret-bearing flags with an explanation (before parseArgs would say only "unknown"). */
export function rejectSecretFlags(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    const name = optionName(arg);
    if (name !== null && Object.hasOwn(SECRET_FLAGS, name)) {
      throw new UsageError(`--${name} is not accepted. ${SECRET_FLAGS[name]}`);
    }
  }
}

function describeParseError(error: unknown, args: readonly string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const match = /'(-{1,2}[^'=\s]*)/.exec(message);
    return `Unknown option ${match?.[1] ?? ''}.`.replace(' .', '.');
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const extra = args.filter((arg) => !arg.startsWith('-')).length;
    return `Unexpected argument${extra > 1 ? 's' : ''}: this command takes no more positional arguments.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // e.g. "Option '--name <value>' argument missing" / "Option '--json' does not take an argument"
    return message.replace(/^Option '([^']*)' argument missing$/, 'Option $1 needs a value.');
  }
  return message;
}

/** parseArgs, strict, with secret flags refused and errors as UsageError. */
export function parseOptions<T extends ParseArgsConfig>(
  config: T & { args: string[] },
): ReturnType<typeof parseArgs<T>> {
  rejectSecretFlags(config.args);
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new UsageError(describeParseError(error, config.args));
  }
}

/** `NAME=VALUE` → {name, value}; the value may itself contain "=". */
export function parseNameValue(option: string, raw: string): NameValue {
  const eq = raw.indexOf('=');
  if (eq <= 0)
    throw new UsageError(`--${option} takes NAME=VALUE (got a value without "=" or without a name).`);
  return { name: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

export function parseNameValues(option: string, raws: readonly string[] | undefined): NameValue[] {
  return (raws ?? []).map((raw) => parseNameValue(option, raw));
}

/** A positive whole number option, e.g. --limit. */
export function parseCount(option: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`--${option} takes a whole number from 1 to ${max}.`);
  }
  return Number(raw);
}

/** Exactly one positional argument (e.g. the profile NAME). */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`Give the ${what}.`);
  if (positionals.length > 1) throw new UsageError(`Give one ${what} only (quote it if it contains spaces).`);
  return positionals[0] as string;
}
