/**
 * SignUp through the strict endpoint: the request is held to what Cognito enforces (SecretHash,
 * then the pool's and the client's rules) before cognito-local creates the user, and the answer
 * gets Cognito's CodeDeliveryDetails (docs/cognito.md#response).
 */
import { codeDeliveryFor } from './delivery';
import type { SignUpAnswer, SignUpCall, StrictEndpointHooks } from './hooks';
import type { RulesSource } from './rules-reader';
import { checkSecretHash } from './checks/secret-hash-check';
import { validateSignUp } from './validate-sign-up';
import { AwsError, errorFromAnswer, isRecord } from './wire';
import type { UpstreamAnswer } from './upstream';

export interface SignUpHandlerDeps {
  rules: RulesSource;
  /** Sends the SignUp on to cognito-local as it came. */
  forward: () => Promise<UpstreamAnswer>;
  hooks: StrictEndpointHooks;
}

function refused(error: AwsError): SignUpAnswer {
  return { kind: 'refused', error };
}

async function forwardSignUp(forward: () => Promise<UpstreamAnswer>): Promise<SignUpAnswer> {
  const answer = await forward();
  if (answer.status !== 200) return refused(errorFromAnswer(answer.status, answer.text));
  const parsed: unknown = JSON.parse(answer.text || '{}');
  return { kind: 'created', output: isRecord(parsed) ? parsed : {} };
}

async function strictSignUp(call: SignUpCall, deps: SignUpHandlerDeps): Promise<SignUpAnswer> {
  const { request } = call;
  if (request.problem !== null) return refused(request.problem);
  const client = await deps.rules.client(request.clientId);
  if (client === null) {
    return refused(
      new AwsError('ResourceNotFoundException', `User pool client ${request.clientId} does not exist.`),
    );
  }
  const secretProblem = checkSecretHash(client, request.username, request.secretHash);
  if (secretProblem !== null) return refused(secretProblem);
  const pool = await deps.rules.pool(client.poolId);
  if (pool === null)
    return refused(new AwsError('ResourceNotFoundException', `User pool ${client.poolId} does not exist.`));
  const problem = validateSignUp(request, pool, client);
  if (problem !== null) return refused(problem);

  const forward = (): Promise<SignUpAnswer> => forwardSignUp(deps.forward);
  const answer = await (deps.hooks.createUser?.(call, forward) ?? forward());
  if (answer.kind !== 'created') return answer;
  const { CodeDeliveryDetails: _fromUpstream, ...output } = answer.output;
  const delivery = codeDeliveryFor(pool, request);
  return {
    kind: 'created',
    output: { ...output, ...(delivery !== null && { CodeDeliveryDetails: delivery }) },
  };
}

/** The strict handling, wrapped by the aroundSignUp hook; never rejects. */
export async function handleSignUp(call: SignUpCall, deps: SignUpHandlerDeps): Promise<SignUpAnswer> {
  const next = (): Promise<SignUpAnswer> =>
    strictSignUp(call, deps).catch((error: unknown) =>
      refused(
        new AwsError('InternalErrorException', `Sandbox endpoint error: ${(error as Error).message}`, 500),
      ),
    );
  return deps.hooks.aroundSignUp?.(call, next) ?? next();
}
