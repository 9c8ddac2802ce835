/**
 * `signup-desk profiles …`: the same profile store the app uses (profiles file + OS keychain).
 * Client secrets are read from stdin only and never printed; listings show "keychain"/"none".
 */
import { onePositional, parseOptions } from './args';
import { call } from './call';
import type { CliContext, Command } from './command';
import { EXIT, type ExitCode } from './exit-codes';
import { findProfile } from './find-profile';
import { profileLines, writeJson, writeLines } from './output';
import { readSecretFromStdin } from './read-secret';
import { UsageError } from './usage-error';

const usage = `Usage:
  signup-desk profiles list [--json]
  signup-desk profiles add --name N --region R --user-pool-id P --client-id C [--endpoint URL]
                          [--account-id ID] [--quota N] [--json]
  signup-desk profiles remove NAME
  signup-desk profiles set-secret NAME        (reads the app client secret from stdin)
  signup-desk profiles remove-secret NAME
  signup-desk profiles use NAME               (make NAME the active profile)

Profiles are shared with the app (same data folder: SIGNUP_DESK_HOME, else the app's folder).
Client secrets live in the OS keychain only; there is no flag that takes one.
--json prints {"profiles": [...], "activeId": ...} for list, the profile object for add.
--quota is the account's sign-up (UserCreation) quota in requests/s, AWS default 50; imports of
profiles with the same --account-id and region (without it: same region and endpoint) share it.

Exit codes: 0 done; 2 usage or invalid profile fields; 3 profile not found or keychain unavailable.`;

type Subcommand = (args: string[], context: CliContext) => Promise<ExitCode>;

const list: Subcommand = async (args, context) => {
  const { values } = parseOptions({ args, options: { json: { type: 'boolean' } } });
  const state = await call(await context.services(), 'profiles:list', undefined);
  if (values.json === true) writeJson(context.io.stdout, state);
  else writeLines(context.io.stdout, profileLines(state));
  return EXIT.ok;
};

const add: Subcommand = async (args, context) => {
  const { values } = parseOptions({
    args,
    options: {
      name: { type: 'string' },
      region: { type: 'string' },
      'user-pool-id': { type: 'string' },
      'client-id': { type: 'string' },
      endpoint: { type: 'string' },
      'account-id': { type: 'string' },
      quota: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const missing = (['name', 'region', 'user-pool-id', 'client-id'] as const).filter(
    (o) => values[o] === undefined,
  );
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((o) => `--${o}`).join(', ')}.`);
  // The store refuses a second profile with the same name (case-insensitive): names are how the CLI finds them.
  const services = await context.services();
  const profile = await call(services, 'profiles:save', {
    name: values.name as string,
    region: values.region as string,
    userPoolId: values['user-pool-id'] as string,
    clientId: values['client-id'] as string,
    ...(values.endpoint !== undefined && { endpoint: values.endpoint }),
    ...(values['account-id'] !== undefined && { accountId: values['account-id'] }),
    // Not a number: the store's schema answers with the field's message.
    ...(values.quota !== undefined && { userCreationQuota: Number(values.quota) }),
  });
  if (values.json === true) writeJson(context.io.stdout, profile);
  else
    writeLines(context.io.stdout, [
      `Added profile "${profile.name}" (${profile.region}, pool ${profile.userPoolId}, client ${profile.clientId}).`,
      'If the app client has a secret, store it with `signup-desk profiles set-secret NAME` (reads stdin).',
    ]);
  return EXIT.ok;
};

/** A subcommand that takes just the profile NAME. */
function onProfile(
  act: (context: CliContext, id: string) => Promise<unknown>,
  done: (name: string) => string,
  readsStdin = false,
): Subcommand {
  return async (args, context) => {
    const { positionals } = parseOptions({ args, options: {}, allowPositionals: true });
    const name = onePositional(positionals, 'profile NAME');
    // Read stdin before touching the keychain, so a missing secret is a usage error, not a half-done change.
    const secret = readsStdin ? await readSecretFromStdin(context.io.stdin, 'client secret') : null;
    const services = await context.services();
    const profile = await findProfile(services, name);
    if (secret !== null) await call(services, 'profiles:setSecret', { id: profile.id, secret });
    else await act(context, profile.id);
    writeLines(context.io.stdout, [done(profile.name)]);
    return EXIT.ok;
  };
}

const subcommands: Record<string, Subcommand> = {
  list,
  add,
  remove: onProfile(
    async (context, id) => call(await context.services(), 'profiles:delete', { id }),
    (name) => `Removed profile "${name}" (and its client secret from the keychain).`,
  ),
  'set-secret': onProfile(
    () => Promise.resolve(),
    (name) => `Stored the client secret for "${name}" in the OS keychain.`,
    true,
  ),
  'remove-secret': onProfile(
    async (context, id) => call(await context.services(), 'profiles:removeSecret', { id }),
    (name) => `Removed the client secret for "${name}" from the OS keychain.`,
  ),
  use: onProfile(
    async (context, id) => call(await context.services(), 'profiles:setActive', { id }),
    (name) => `"${name}" is now the active profile.`,
  ),
};

export const profilesCommand: Command = {
  name: 'profiles',
  summary: 'list, add, remove profiles; store or remove their client secrets; choose the active one',
  usage,
  async run(args, context) {
    const [name, ...rest] = args;
    if (name === undefined)
      throw new UsageError(`Give a subcommand: ${Object.keys(subcommands).join(', ')}.`);
    const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
    if (subcommand === undefined) {
      throw new UsageError(
        `Unknown subcommand "${name}"; use one of ${Object.keys(subcommands).join(', ')}.`,
      );
    }
    return subcommand(rest, context);
  },
};
