/**
 * One SignUp call: the request built from our input shape, the answer or a classified error.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
import {
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CodeDelivery, LogEntry } from '@shared/contract';
import type { NameValue, SignUpInput } from '@shared/signup-rules';
import { classifyError, type ClassifiedError } from './errors';
import { secretHash } from './secret-hash';

/** Where a SignUp goes: a profile's settings plus its secret, resolved by the caller. */
export interface Connection {
  region: string;
  clientId: string;
  userPoolId?: string | undefined;
  endpoint?: string | undefined;
  /** The app client secret, or null when the app client has none. */
  secret: string | null;
  profileId?: string | undefined;
  profileName?: string | undefined;
  /** The profile's sign-up budget (docs/cognito.md#quota): which account, and its quota. */
  accountId?: string | undefined;
  userCreationQuota?: number | undefined;
}

export type SignUpCallResult =
  | { kind: 'ok'; userSub: string; userConfirmed: boolean; codeDeliveryDetails?: CodeDelivery }
  | { kind: 'error'; error: ClassifiedError };

function pairs(list: NameValue[]): Array<{ Name: string; Value: string }> | undefined {
  return list.length === 0 ? undefined : list.map(({ name, value }) => ({ Name: name, Value: value }));
}

export function buildSignUpRequest(connection: Connection, input: SignUpInput): SignUpCommandInput {
  const request: SignUpCommandInput = {
    ClientId: connection.clientId,
    Username: input.username,
  };
  // Omitted for a passwordless user (docs/cognito.md#password).
  if (input.password !== undefined) request.Password = input.password;
  if (connection.secret !== null)
    request.SecretHash = secretHash(input.username, connection.clientId, connection.secret);
  const attributes = pairs(input.attributes);
  if (attributes) request.UserAttributes = attributes;
  // Only the pre sign-up trigger sees ValidationData; ClientMetadata goes to the triggers. Neither is stored.
  const validationData = pairs(input.validationData);
  if (validationData) request.ValidationData = validationData;
  if (input.clientMetadata.length > 0)
    request.ClientMetadata = Object.fromEntries(input.clientMetadata.map(({ name, value }) => [name, value]));
  if (input.analyticsEndpointId !== undefined && input.analyticsEndpointId !== '')
    request.AnalyticsMetadata = { AnalyticsEndpointId: input.analyticsEndpointId };
  const context = input.userContextData;
  if (context !== undefined) {
    const data: NonNullable<SignUpCommandInput['UserContextData']> = {};
    if (context.ipAddress !== undefined && context.ipAddress !== '') data.IpAddress = context.ipAddress;
    if (context.encodedData !== undefined && context.encodedData !== '')
      data.EncodedData = context.encodedData;
    if (Object.keys(data).length > 0) request.UserContextData = data;
  }
  return request;
}

export async function sendSignUp(
  client: CognitoIdentityProviderClient,
  connection: Connection,
  input: SignUpInput,
  options: { abortSignal?: AbortSignal } = {},
): Promise<SignUpCallResult> {
  try {
    const output = await client.send(
      new SignUpCommand(buildSignUpRequest(connection, input)),
      options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
    );
    const details = output.CodeDeliveryDetails;
    const codeDeliveryDetails: CodeDelivery | undefined =
      details === undefined
        ? undefined
        : {
            ...(details.Destination !== undefined && { destination: details.Destination }),
            ...(details.DeliveryMedium !== undefined && { deliveryMedium: details.DeliveryMedium }),
            ...(details.AttributeName !== undefined && { attributeName: details.AttributeName }),
          };
    return {
      kind: 'ok',
      userSub: output.UserSub ?? '',
      userConfirmed: output.UserConfirmed ?? false,
      ...(codeDeliveryDetails !== undefined && { codeDeliveryDetails }),
    };
  } catch (error) {
    return { kind: 'error', error: classifyError(error) };
  }
}

/** CodeDeliveryDetails as the log's flat fields, absent parts omitted (the form and the import log alike). */
export function deliveryLogFields(
  delivery: CodeDelivery | undefined,
): Partial<Pick<LogEntry, 'deliveryMedium' | 'destination' | 'attributeName'>> {
  return {
    ...(delivery?.deliveryMedium !== undefined && { deliveryMedium: delivery.deliveryMedium }),
    ...(delivery?.destination !== undefined && { destination: delivery.destination }),
    ...(delivery?.attributeName !== undefined && { attributeName: delivery.attributeName }),
  };
}
