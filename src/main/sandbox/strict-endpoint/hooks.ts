/**
 * Where code outside the product can wrap the strict endpoint without copying it — the tests'
 * Cognito proxy adds faults before the strict handling and counts answers after it.
 */
import type { SignUpRequest } from './sign-up-request';
import type { AwsError } from './wire';

/** How a SignUp call is answered. */
export type SignUpAnswer =
  | { kind: 'created'; output: Record<string, unknown> }
  | { kind: 'refused'; error: AwsError }
  /** A status with an empty body (what a load balancer's bare 500 looks like). */
  | { kind: 'empty'; status: number }
  /** The connection was cut without an answer. */
  | { kind: 'dropped' };

export interface SignUpCall {
  request: SignUpRequest;
  /** Destroys the connection; return its answer from the hook. */
  drop(): SignUpAnswer;
}

export interface RawRequest {
  method: string;
  path: string;
  /** The operation (`ListUserPools`, …), null when the request names none. */
  operation: string | null;
  body: Buffer;
}

export interface RawReply {
  status: number;
  body: unknown;
}

export interface StrictEndpointHooks {
  /** Wraps each SignUp: may answer it without calling `next` (a fault), and sees what `next` answered. */
  aroundSignUp?: (call: SignUpCall, next: () => Promise<SignUpAnswer>) => Promise<SignUpAnswer>;
  /** Replaces creating the user in cognito-local, after every check passed (`forward` does it). */
  createUser?: (call: SignUpCall, forward: () => Promise<SignUpAnswer>) => Promise<SignUpAnswer>;
  /** Sees every other request before it is forwarded; a reply answers it instead. */
  onRequest?: (request: RawRequest) => RawReply | undefined;
}
