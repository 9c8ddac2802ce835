/**
 * The connection flags `signup`, `import` (and any later command that talks to a pool) share:
 * `--profile NAME`, or `--client-id ID --region R [--endpoint URL] [--user-pool-id ID]
 * [--client-secret-env VAR]`. The secret is only ever read from the environment variable VAR
 * (or from the keychain through a profile), never from a flag.
 */
import { ProfileInputSchema } from '@shared/contract';
import type { CliConnection, CliIo } from './command';
import { UsageError } from './usage-error';

/** parseArgs option definitions for the connection flags, to spread into a command's options. */
export const CONNECTION_OPTIONS = {
  profile: { type: 'string' },
  'client-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'user-pool-id': { type: 'string' },
  'client-secret-env': { type: 'string' },
} as const;

/** The usage lines describing them (indented like the commands' own option lists). */
export const CONNECTION_USAGE = `  --profile NAME              a saved profile (its client secret comes from the OS keychain)
  --client-id ID --region R   an app client directly; with --endpoint URL for a local/private endpoint,
                              --user-pool-id ID (recorded in the log), --client-secret-env VAR when
                              the app client has a secret (VAR names the environment variable holding it)`;

export interface ConnectionFlagValues {
  profile?: string | undefined;
  'client-id'?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  'user-pool-id'?: string | undefined;
  'client-secret-env'?: string | undefined;
}

export type ConnectionChoice =
  { kind: 'profile'; name: string } | { kind: 'direct'; connection: CliConnection };

export const DIRECT_FLAGS = ['client-id', 'region', 'endpoint', 'user-pool-id', 'client-secret-env'] as const;

const ConnectionSchema = ProfileInputSchema.pick({ region: true, clientId: true, endpoint: true }).extend({
  userPoolId: ProfileInputSchema.shape.userPoolId.optional(),
});

/** The value of the environment variable an `--…-env VAR` option names; unset or empty is a usage error. */
export function envValue(io: CliIo, option: string, variable: string): string {
  const value = io.env[variable];
  if (value === undefined || value === '') {
    throw new UsageError(
      `--${option} names the environment variable ${variable}, which is not set or empty.`,
    );
  }
  return value;
}

/** The client secret named by --client-secret-env, or null when the flag is absent. */
export function secretFromFlags(values: ConnectionFlagValues, io: CliIo): string | null {
  const variable = values['client-secret-env'];
  return variable === undefined ? null : envValue(io, 'client-secret-env', variable);
}

/**
 * Checks the flags (a profile or a direct client, not both; the direct fields are what a profile
 * form accepts) and returns the choice, the direct connection with its secret already read.
 */
export function parseConnectionFlags(values: ConnectionFlagValues, io: CliIo): ConnectionChoice {
  const directGiven = DIRECT_FLAGS.filter((option) => values[option] !== undefined);
  if (values.profile !== undefined && directGiven.length > 0) {
    throw new UsageError(
      `Use either --profile or --${directGiven[0]} and the other connection options, not both.`,
    );
  }
  if (values.profile !== undefined) return { kind: 'profile', name: values.profile };
  if (values['client-id'] === undefined || values.region === undefined) {
    throw new UsageError('Choose the pool: --profile NAME, or --client-id ID --region REGION.');
  }
  const parsed = ConnectionSchema.safeParse({
    region: values.region,
    clientId: values['client-id'],
    endpoint: values.endpoint,
    userPoolId: values['user-pool-id'],
  });
  if (!parsed.success) {
    const flag: Record<string, string> = {
      region: '--region',
      clientId: '--client-id',
      endpoint: '--endpoint',
      userPoolId: '--user-pool-id',
    };
    throw new UsageError(
      parsed.error.issues.map((issue) => `${flag[String(issue.path[0])] ?? ''} ${issue.message}`).join(' '),
    );
  }
  return {
    kind: 'direct',
    connection: {
      region: parsed.data.region,
      clientId: parsed.data.clientId,
      ...(parsed.data.userPoolId !== undefined && { userPoolId: parsed.data.userPoolId }),
      ...(parsed.data.endpoint !== undefined &&
        parsed.data.endpoint !== '' && { endpoint: parsed.data.endpoint }),
      secret: secretFromFlags(values, io),
    },
  };
}
