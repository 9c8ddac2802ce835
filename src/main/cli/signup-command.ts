/**
 * `signup-desk signup`: one SignUp call through the same service the app's form uses, recorded in
 * the same durable log (source "cli"). The password comes from an environment variable or stdin,
 * never from a flag. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
import type { SignUpResult } from '@shared/contract';
import type { SignUpInput } from '@shared/signup-rules';
import { toErrorShape } from '../errors';
import { parseNameValues, parseOptions } from './args';
import type { CliContext, Command } from './command';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, envValue, parseConnectionFlags } from './connection-flags';
import { exitCodeForOutcome, type ExitCode } from './exit-codes';
import { findProfile } from './find-profile';
import { signUpJson, signUpLines, writeJson, writeLines } from './output';
import { readSecretFromStdin } from './read-secret';
import { UsageError } from './usage-error';

const usage = `Usage:
  signup-desk signup --profile NAME --username U (--password-env VAR | --password-stdin | --no-password) [options]
  signup-desk signup --client-id ID --region REGION [--endpoint URL] [--user-pool-id ID]
                     [--client-secret-env VAR] --username U (--password-env VAR | --password-stdin | --no-password) [options]

Signs one user up through Cognito's SignUp API and records the attempt in the log.

Connection (one of):
${CONNECTION_USAGE}
User:
  --username U                the username (not an email unless the pool uses email usernames)
  --password-env VAR          read the password from environment variable VAR
  --password-stdin            read the password from stdin (one trailing newline is dropped)
  --no-password               sign up without a password (a passwordless pool: email or SMS codes)
  --attribute NAME=VALUE      a user attribute, e.g. email=a@example.com (repeatable)
  --validation-data NAME=VALUE  passed to the pre sign-up trigger only (repeatable)
  --client-metadata KEY=VALUE   passed to the triggers (repeatable)
Output:
  --json                      print one JSON object: {"outcome", "userSub", "userConfirmed",
                              "codeDeliveryDetails": {…}, "error": {"name", "message", "requestId", "hint"},
                              "fieldErrors", "warning"} (absent fields omitted); "warning" means
                              Cognito answered but the attempt could not be written to the log

There is no --password flag: a password on the command line shows in \`ps\` and shell history.

Exit codes: 0 created; 1 Cognito refused it (user exists, or input rejected); 2 invalid input or
usage; 3 configuration or connection problem (profile not found, keychain, secret, network).`;

async function run(args: string[], context: CliContext): Promise<ExitCode> {
  const { values } = parseOptions({
    args,
    options: {
      ...CONNECTION_OPTIONS,
      username: { type: 'string' },
      'password-env': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'no-password': { type: 'boolean' },
      attribute: { type: 'string', multiple: true },
      'validation-data': { type: 'string', multiple: true },
      'client-metadata': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  const { io } = context;

  const choice = parseConnectionFlags(values, io);
  if (values.username === undefined) throw new UsageError('Give the --username.');
  const noPassword = values['no-password'] === true;
  const passwordWays = [values['password-env'] !== undefined, values['password-stdin'] === true, noPassword];
  if (passwordWays.filter(Boolean).length !== 1) {
    throw new UsageError(
      'Give the password with exactly one of --password-env VAR or --password-stdin, or --no-password for a passwordless pool.',
    );
  }

  const passwordEnv = values['password-env'];
  // Password is optional in SignUp: omitted, the user is passwordless (docs/cognito.md#password).
  const password = noPassword
    ? undefined
    : passwordEnv !== undefined
      ? envValue(io, 'password-env', passwordEnv)
      : await readSecretFromStdin(io.stdin, 'password');
  const input: SignUpInput = {
    username: values.username,
    ...(password !== undefined && { password }),
    attributes: parseNameValues('attribute', values.attribute),
    validationData: parseNameValues('validation-data', values['validation-data']),
    clientMetadata: parseNameValues('client-metadata', values['client-metadata']),
  };

  let result: SignUpResult;
  try {
    const services = await context.services();
    if (choice.kind === 'direct') {
      result = await services.signUp.submitWithConnection(choice.connection, input, 'cli');
    } else {
      const profile = await findProfile(services, choice.name);
      result = await services.signUp.submit(profile.id, input, 'cli');
    }
  } catch (error) {
    // Failures before or around the call (profile not found, keychain locked, database) are
    // reported in the same shape so a script reading --json always gets one object.
    const shape = toErrorShape(error);
    result =
      shape.fields !== undefined
        ? { outcome: 'invalid', fieldErrors: shape.fields, error: shape }
        : {
            outcome: 'error',
            error: {
              name: shape.name,
              message: shape.message,
              ...(shape.hint !== undefined && { hint: shape.hint }),
              ...(shape.requestId !== undefined && { requestId: shape.requestId }),
            },
          };
  }

  if (values.json === true) writeJson(io.stdout, signUpJson(result));
  else writeLines(result.outcome === 'created' ? io.stdout : io.stderr, signUpLines(result, input.username));
  // On stderr even with --json, so a script that reads stdout alone still keeps its one object.
  if (result.warning !== undefined) writeLines(io.stderr, [`Warning: ${result.warning}`]);
  return exitCodeForOutcome(result.outcome);
}

export const signupCommand: Command = {
  name: 'signup',
  summary: 'sign one user up (SignUp API) and log the attempt',
  usage,
  run,
};
