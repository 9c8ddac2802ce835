/**
 * What a failed SignUp means and what to do about it: retry, stop the job, fail the row, or count
 * the user as existing. The names classified are Cognito's and Node's, kept as data; only
 * KeychainUnavailable is ours. Error names: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html#API_SignUp_Errors
 */
import type { ErrorName, Outcome } from '@shared/contract';

/** unreachable: nothing answers at the endpoint (connection refused, no DNS name) — no request got there. */
export type ErrorCategory = 'transient' | 'unreachable' | 'quota' | 'config' | 'row' | 'exists';

export interface ClassifiedError {
  category: ErrorCategory;
  name: string;
  message: string;
  requestId?: string;
  hint?: string;
}

const TRANSIENT_NAMES = new Set([
  'TooManyRequestsException',
  'InternalErrorException',
  'ThrottlingException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
// https://nodejs.org/api/errors.html#common-system-errors
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/**
 * The endpoint is down or its name does not resolve (docs/cognito.md#errors, Network): the request
 * never reached Cognito, and every other row would get the same.
 */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const QUOTA_NAMES = new Set(['LimitExceededException']);
/** The client secret could not be read: no request will work until the keychain is fixed. */
const KEYCHAIN_UNAVAILABLE: ErrorName = 'KeychainUnavailable';
const CONFIG_NAMES = new Set<string>([
  'NotAuthorizedException',
  'ResourceNotFoundException',
  'ForbiddenException',
  'InvalidSmsRoleAccessPolicyException',
  'InvalidSmsRoleTrustRelationshipException',
  'InvalidEmailRoleAccessPolicyException',
  'UnrecognizedClientException',
  'AccessDeniedException',
  // Every row gets these (docs/cognito.md#errors): the Region or pool lacks the feature, or a
  // Lambda trigger is broken — Cognito already retried the trigger, another try rarely helps.
  'OperationNotEnabledException',
  'InvalidLambdaResponseException',
  'UnexpectedLambdaException',
  KEYCHAIN_UNAVAILABLE,
]);
/** Messages that make an otherwise per-row error a configuration one (docs/cognito.md#errors). */
const CONFIG_MESSAGES: ReadonlyArray<{ name: string; message: RegExp }> = [
  { name: 'InvalidParameterException', message: /not configured for secret but secret hash was received/i },
];
const ROW_NAMES = new Set([
  'InvalidParameterException',
  'InvalidPasswordException',
  'UserLambdaValidationException',
  'CodeDeliveryFailureException',
]);

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function asRecord(error: unknown): SdkLikeError {
  return typeof error === 'object' && error !== null ? error : {};
}

/** Looks through `cause` chains: fetch/undici wrap the socket error. */
function systemCode(error: unknown, depth = 0): string | undefined {
  const e = asRecord(error);
  if (typeof e.code === 'string') return e.code;
  return depth < 5 && e.cause !== undefined ? systemCode(e.cause, depth + 1) : undefined;
}

export function classifyError(error: unknown): ClassifiedError {
  const e = asRecord(error);
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
  const rawMessage = typeof e.message === 'string' ? e.message : String(error);
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const code = systemCode(error);
  const category = CONFIG_MESSAGES.some((c) => c.name === name && c.message.test(rawMessage))
    ? 'config'
    : categorise(name, status, code, e.$fault);
  const message = rawMessage !== '' ? rawMessage : code !== undefined ? code : name;
  const hint = hintFor(name, message, category, status, code);
  return {
    category,
    name: name === 'Error' && code !== undefined ? code : name,
    message,
    ...(requestId !== undefined && { requestId }),
    ...(hint !== undefined && { hint }),
  };
}

function categorise(
  name: string,
  status: number | undefined,
  code: string | undefined,
  fault: unknown,
): ErrorCategory {
  if (name === 'UsernameExistsException') return 'exists';
  if (QUOTA_NAMES.has(name)) return 'quota';
  if (CONFIG_NAMES.has(name)) return 'config';
  if (ROW_NAMES.has(name)) return 'row';
  if (TRANSIENT_NAMES.has(name)) return 'transient';
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if (status !== undefined && (status >= 500 || status === 429)) return 'transient';
  if (fault === 'server') return 'transient';
  // An unknown 4xx from Cognito is about the request, not the connection: fail the row, carry on.
  if (status !== undefined && status >= 400) return 'row';
  // No HTTP status and no known code: something between us and Cognito (proxy, TLS, DNS) — retryable.
  if (status === undefined && code !== undefined) return 'transient';
  return 'config';
}

function hintFor(
  name: string,
  message: string,
  category: ErrorCategory,
  status: number | undefined,
  code: string | undefined,
): string | undefined {
  if (name === 'NotAuthorizedException') {
    // "Client … is configured with secret but SECRET_HASH was not received"
    if (/SECRET_HASH was not received|secret was not received/i.test(message))
      return 'This app client has a client secret: add it to this profile (Set secret) so a SecretHash is sent.';
    if (/not configured (with|for) (a )?secret|has no secret/i.test(message))
      return 'This app client has no secret, but one was sent: remove the client secret from this profile.';
    // "Unable to verify secret hash for client …", on SignUp also "SecretHash does not match for the client: …"
    if (/secret ?hash/i.test(message))
      return "Cognito could not verify the SecretHash: check this profile's client secret (it must be the secret of this app client). If the app client has no secret, remove it from the profile.";
    if (/not permitted|not allowed|disabled/i.test(message))
      return 'Self sign-up is not allowed on this user pool: enable self-registration in the pool, or create users with an admin tool.';
    return "Cognito refused the request: check this profile's app client id and client secret.";
  }
  switch (name) {
    case 'UsernameExistsException':
      return 'A user with this username already exists in the pool.';
    case 'ResourceNotFoundException':
      return "Cognito does not know this app client: check the profile's app client id and region (and the endpoint, if set).";
    case 'ForbiddenException':
      return 'The request was blocked (AWS WAF or a resource policy on the user pool): check the pool\u2019s WAF rules.';
    case 'InvalidSmsRoleAccessPolicyException':
    case 'InvalidSmsRoleTrustRelationshipException':
      return "The user pool's SMS role cannot send text messages: fix the SMS configuration (IAM role and trust policy) in the pool.";
    case 'InvalidEmailRoleAccessPolicyException':
      return "The user pool cannot send email with its configured SES identity: fix the pool's email configuration.";
    case 'LimitExceededException':
      // The user is created UNCONFIRMED; only the code was not sent (docs/cognito.md#errors).
      return 'The user was created (UNCONFIRMED) but Cognito could not send the confirmation code: a message quota is used up (for example the daily email limit of the default sender, reset at 09:00 UTC). Send the code later (ResendConfirmationCode); wait or raise the limit (e.g. configure Amazon SES) before resuming.';
    case 'TooManyRequestsException':
      return 'Cognito is throttling requests (the UserCreation quota is shared by the whole account and region): lower the rate.';
    case 'InvalidPasswordException':
      return "The password does not meet the user pool's password policy.";
    case 'InvalidParameterException':
      if (category === 'config')
        return 'This app client has no secret, but a SecretHash was sent: remove the client secret from this profile.';
      return 'Cognito rejected a value in this request: check the username format, the attributes (required ones, names, formats) and the pool settings.';
    case 'UserLambdaValidationException':
      return "The pool's pre sign-up Lambda trigger rejected this user.";
    case 'CodeDeliveryFailureException':
      return 'Cognito could not deliver the verification code to the email address or phone number given.';
    case 'InvalidLambdaResponseException':
    case 'UnexpectedLambdaException':
      return "The pool's pre sign-up (or another) Lambda trigger failed or answered something Cognito did not expect; every sign-up will fail the same way: fix the trigger (check its logs), then resume.";
    case 'OperationNotEnabledException':
      return 'Sign-up is not available for this user pool here (for example in a replica Region or with this pool configuration): use the pool\u2019s primary Region.';
    case 'InternalErrorException':
      return 'Cognito had an internal error; trying again usually works.';
    case 'UnrecognizedClientException':
      return 'The endpoint did not recognise this client: check the region and endpoint of the profile.';
    case 'TimeoutError':
      return 'Cognito did not answer in time: check the network connection and try again.';
    default:
      break;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'The Cognito endpoint could not be found: check the network connection, the region and the endpoint of the profile.';
  if (code === 'ECONNREFUSED')
    return 'Nothing is listening at the endpoint: check the profile\u2019s endpoint (for the sandbox, start it again).';
  if (category === 'transient')
    return status !== undefined
      ? `Cognito answered with HTTP ${status}; this is usually temporary, try again.`
      : 'The connection to Cognito failed; this is usually temporary, check the network and try again.';
  return undefined;
}

/** How an attempt is recorded: exists → exists, a bad row → rejected, anything else → error. */
export function outcomeFor(category: ErrorCategory): Outcome {
  if (category === 'exists') return 'exists';
  if (category === 'row') return 'rejected';
  return 'error';
}
