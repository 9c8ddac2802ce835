/**
 * The Cognito user-pools client every SignUp goes through (AWS SDK for JavaScript v3).
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/cognito-identity-provider/
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';

export interface CognitoClientOptions {
  region: string;
  /** A local or private endpoint (cognito-local, a proxy); absent → the public regional endpoint. */
  endpoint?: string;
  /**
   * Attempts per call including the first, for transient errors (throttling, 5xx, resets,
   * timeouts). 3 for the single form submit; the bulk engine passes 1 and retries itself.
   */
  maxAttempts?: number;
  /** Per-attempt limit for the whole request/response, in ms. */
  requestTimeoutMs?: number;
  /** Limit for opening the connection, in ms. */
  connectionTimeoutMs?: number;
  /** Parallel sockets per client (the bulk engine's concurrency). */
  maxSockets?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * The SDK's standard strategy counts LimitExceededException as throttling and retries it
 * (THROTTLING_ERROR_CODES in @smithy/core's service-error-classification), but for SignUp it
 * means a quota such as the daily email limit is used up for hours: retrying only burns time.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class NoQuotaRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    if (isQuotaError(errorInfo.error)) throw new Error('LimitExceededException is not retried');
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

function isQuotaError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'LimitExceededException'
  );
}

/**
 * SignUp needs no AWS credentials: the SDK marks it `smithy.api#noAuth` (see the client's
 * httpAuthSchemeProvider), and Cognito authenticates it by ClientId + SecretHash.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pools-API-operations.html#user-pool-apis-auth-unauth
 * A fixed anonymous credential keeps the SDK from ever searching this machine (env, ~/.aws, IMDS)
 * for real ones; the same dummy signs the admin calls cognito-local accepts (sandbox, tests).
 */
const ANONYMOUS = { accessKeyId: 'signup-desk-anonymous', secretAccessKey: 'signup-desk-anonymous' };

export function createCognitoClient(options: CognitoClientOptions): CognitoIdentityProviderClient {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  return new CognitoIdentityProviderClient({
    region: options.region,
    ...(options.endpoint !== undefined && options.endpoint !== '' && { endpoint: options.endpoint }),
    credentials: ANONYMOUS,
    maxAttempts,
    retryStrategy: new NoQuotaRetryStrategy(maxAttempts),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without this the SDK only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      ...(options.maxSockets !== undefined && {
        httpAgent: { maxSockets: options.maxSockets, keepAlive: true },
        httpsAgent: { maxSockets: options.maxSockets, keepAlive: true },
      }),
    },
  });
}

export type { CognitoIdentityProviderClient };

/** How services get a Cognito client (tests pass one aimed at a local server). */
export type ClientFactory = (options: CognitoClientOptions) => CognitoIdentityProviderClient;
