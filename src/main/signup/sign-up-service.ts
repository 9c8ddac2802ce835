/**
 * One sign-up from the form or the CLI: check the input with the same rules the form shows,
 * resolve the profile's secret from the keychain, send SignUp, and record exactly one log entry
 * for the attempt (including attempts stopped by validation, which send nothing). The result is
 * what Cognito said even when that entry cannot be written: then it carries a warning.
 */
import type { Profile, SignUpResult } from '@shared/contract';
import { validateSignUpInput, type SignUpInput } from '@shared/signup-rules';
import { createCognitoClient, type ClientFactory } from '../cognito/client';
import { outcomeFor } from '../cognito/errors';
import { deliveryLogFields, sendSignUp, type Connection } from '../cognito/sign-up-call';
import { AppError } from '../errors';
import { KEYCHAIN_UNAVAILABLE, type SecretStore } from '../keychain/secret-store';
import type { LogStore, NewLogEntry } from '../log/log-store';
import type { ProfileStore } from '../profiles/profile-store';
import { recordAttempt } from './record-attempt';

export type SubmitSource = 'form' | 'cli';

export interface SignUpServiceDeps {
  profiles: ProfileStore;
  secrets: SecretStore;
  log: LogStore;
  clientFactory?: ClientFactory;
  now?: () => Date;
}

export interface SignUpService {
  submit(profileId: string, input: SignUpInput, source: SubmitSource): Promise<SignUpResult>;
  submitWithConnection(
    connection: Connection,
    input: SignUpInput,
    source: SubmitSource,
  ): Promise<SignUpResult>;
}

/** The connection a profile describes, with its client secret read from the keychain. */
export async function connectionFor(profile: Profile, secrets: SecretStore): Promise<Connection> {
  let secret: string | null = null;
  if (profile.hasSecret) {
    secret = await secrets.get(profile.id);
    // A locked keyring answers "nothing stored" instead of failing (libsecret), and so does an
    // entry deleted outside the app: never send a sign-up without the secret the profile needs.
    if (secret === null)
      throw new AppError(
        KEYCHAIN_UNAVAILABLE,
        `The client secret of profile "${profile.name}" could not be read from the OS keychain: the keychain is locked, or the entry is missing.`,
        {
          hint: 'Unlock your keyring (e.g. the "login" keyring) and try again; if it is unlocked, enter the client secret again in the profile.',
        },
      );
  }
  return {
    region: profile.region,
    clientId: profile.clientId,
    userPoolId: profile.userPoolId,
    ...(profile.endpoint !== undefined && { endpoint: profile.endpoint }),
    secret,
    profileId: profile.id,
    profileName: profile.name,
    ...(profile.accountId !== undefined && { accountId: profile.accountId }),
    ...(profile.userCreationQuota !== undefined && { userCreationQuota: profile.userCreationQuota }),
  };
}

export function createSignUpService(deps: SignUpServiceDeps): SignUpService {
  const clientFactory = deps.clientFactory ?? createCognitoClient;
  const now = deps.now ?? (() => new Date());

  function baseEntry(connection: Connection, input: SignUpInput, source: SubmitSource): NewLogEntry {
    return {
      time: now().toISOString(),
      source,
      ...(connection.profileId !== undefined && { profileId: connection.profileId }),
      ...(connection.profileName !== undefined && { profileName: connection.profileName }),
      region: connection.region,
      ...(connection.userPoolId !== undefined && { userPoolId: connection.userPoolId }),
      clientId: connection.clientId,
      username: input.username,
      outcome: 'error',
    };
  }

  /** Checks the input; when it breaks Cognito's rules, records the attempt and answers "invalid". */
  function rejectInvalid(
    connection: Connection,
    input: SignUpInput,
    source: SubmitSource,
  ): SignUpResult | null {
    const fieldErrors = validateSignUpInput(input);
    if (Object.keys(fieldErrors).length === 0) return null;
    const recorded = recordAttempt(
      deps.log,
      {
        ...baseEntry(connection, input, source),
        outcome: 'invalid',
        errorName: 'InvalidInput',
        // The rules' messages never quote the password.
        errorMessage: Object.values(fieldErrors).join(' '),
        note: 'Not sent: the input breaks Cognito rules.',
      },
      false,
    );
    return { outcome: 'invalid', fieldErrors, ...recorded };
  }

  async function submitWithConnection(
    connection: Connection,
    input: SignUpInput,
    source: SubmitSource,
  ): Promise<SignUpResult> {
    const invalid = rejectInvalid(connection, input, source);
    if (invalid !== null) return invalid;
    return send(connection, input, source);
  }

  async function send(
    connection: Connection,
    input: SignUpInput,
    source: SubmitSource,
  ): Promise<SignUpResult> {
    const client = clientFactory({
      region: connection.region,
      ...(connection.endpoint !== undefined &&
        connection.endpoint !== '' && { endpoint: connection.endpoint }),
    });
    try {
      const result = await sendSignUp(client, connection, input);
      if (result.kind === 'ok') {
        const delivery = result.codeDeliveryDetails;
        // Cognito has created the user: a failing log write must not turn that into a failure.
        const recorded = recordAttempt(
          deps.log,
          {
            ...baseEntry(connection, input, source),
            outcome: 'created',
            userSub: result.userSub,
            userConfirmed: result.userConfirmed,
            ...deliveryLogFields(delivery),
          },
          true,
        );
        return {
          outcome: 'created',
          userSub: result.userSub,
          userConfirmed: result.userConfirmed,
          ...(delivery !== undefined && { codeDeliveryDetails: delivery }),
          ...recorded,
        };
      }
      const { error } = result;
      const outcome = outcomeFor(error.category);
      const recorded = recordAttempt(
        deps.log,
        {
          ...baseEntry(connection, input, source),
          outcome,
          errorName: error.name,
          errorMessage: error.message,
          ...(error.requestId !== undefined && { requestId: error.requestId }),
        },
        true,
      );
      return {
        outcome,
        error: {
          name: error.name,
          message: error.message,
          ...(error.requestId !== undefined && { requestId: error.requestId }),
          ...(error.hint !== undefined && { hint: error.hint }),
        },
        ...recorded,
      };
    } finally {
      client.destroy();
    }
  }

  return {
    submitWithConnection,
    async submit(profileId, input, source) {
      const profile = await deps.profiles.get(profileId);
      // Validate before touching the keychain: a wrong field needs no secret to be reported.
      const invalid = rejectInvalid(
        await connectionFor({ ...profile, hasSecret: false }, deps.secrets),
        input,
        source,
      );
      if (invalid !== null) return invalid;
      return send(await connectionFor(profile, deps.secrets), input, source);
    },
  };
}
