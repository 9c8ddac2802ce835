/**
 * A Cognito-compatible endpoint for tests: the product's strict endpoint
 * (src/main/sandbox/strict-endpoint/, the same SecretHash, password, schema and delivery rules the
 * app's sandbox enforces) in front of cognito-local, plus what only tests want — injected faults
 * (throttling, 5xx, connection resets, latency, LimitExceededException) and call counts so tests
 * can assert "exactly once" and "no calls after stop". The faults wrap the strict handling through
 * its hooks: a fault answers before any check, the counts see every answer.
 *
 * Control at run time either through the returned `control` object or over HTTP:
 *   GET  /__control            → { faults, stats }
 *   POST /__control  { set?: FaultOptions, clear?: true, resetStats?: true,
 *                      registerClient?: { clientId, poolId, secret } } → { faults, stats }
 * Confirmation codes (when it knows cognito-local's folder): GET /__sandbox/codes/<poolId>/<username>.
 */
import { randomUUID } from 'node:crypto';
import type {
  SignUpAnswer,
  SignUpCall,
  StrictEndpointHooks,
} from '../../src/main/sandbox/strict-endpoint/hooks';
import { AwsError } from '../../src/main/sandbox/strict-endpoint/wire';
import { startStrictEndpoint } from '../../src/main/sandbox/strict-endpoint/server';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';
import { FaultPlan, type BrokenLambdaError, type FaultOptions, type FaultState } from './faults';
import { fastRules } from './fast-rules';

export type { FaultOptions, FaultState } from './faults';
export { secretHash } from '../../src/main/cognito/secret-hash';

export interface ClientInfo {
  poolId: string;
  /** Null when the app client has no secret. */
  secret: string | null;
  /** The client's WriteAttributes; absent or null: the standard attributes only, as in Cognito. */
  writeAttributes?: string[] | null;
}

export interface CognitoProxyOptions {
  /**
   * The cognito-local endpoint to forward to. Absent: the proxy starts its own cognito-local and
   * stops it on stop(). Null: no upstream at all (only fast-mode SignUp is answered).
   */
  upstream?: string | null;
  /** The folder a given upstream runs in (for the codes route); known when the proxy starts its own. */
  dataDir?: string;
  faults?: FaultOptions;
  /** Known app clients; others are looked up in cognito-local on first use and cached. */
  clients?: Record<string, ClientInfo>;
  /** Port to listen on (default: any free one). */
  port?: number;
}

export interface ProxyStats {
  /** SignUp calls received (every one, whatever it was answered). */
  signUpCalls: number;
  /** SignUp calls received, per Username. */
  byUsername: Record<string, number>;
  /** SignUp calls answered with a created user. */
  created: number;
  /** Users created but answered LimitExceededException (the code could not be sent). */
  createdWithoutCode: number;
  /** How SignUp calls were answered: 'created', an exception name, 'reset' or 'bare500'. */
  answers: Record<string, number>;
  /** Calls for any other operation (forwarded). */
  otherCalls: number;
  /** Date.now() of the last SignUp call received, null before the first. */
  lastSignUpAt: number | null;
}

export interface ProxyControl {
  /** Merges a patch into the fault plan (null switches a fault off) and returns the plan. */
  set(patch: FaultOptions): FaultState;
  /** Switches every fault off, fast mode included. */
  clear(): FaultState;
  faults(): FaultState;
  /** Tells the proxy an app client's pool and secret (skips the lookup in cognito-local). */
  registerClient(clientId: string, info: ClientInfo): void;
  resetStats(): void;
}

export interface CognitoProxy {
  /** http://127.0.0.1:<port>: give this to the SDK / the app as the Cognito endpoint. */
  endpoint: string;
  /** The cognito-local endpoint behind it, null without one. */
  upstream: string | null;
  control: ProxyControl;
  stats(): ProxyStats;
  stop(): Promise<void>;
}

function emptyStats(): ProxyStats {
  return {
    signUpCalls: 0,
    byUsername: {},
    created: 0,
    createdWithoutCode: 0,
    answers: {},
    otherCalls: 0,
    lastSignUpAt: null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message Cognito gives when its built-in email sender's daily quota is spent. */
const EMAIL_LIMIT =
  'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.';

/** Messages as Cognito words a failing pre sign-up trigger (seen in real responses). */
const LAMBDA_MESSAGES: Record<BrokenLambdaError, string> = {
  UnexpectedLambdaException: 'PreSignUp invocation failed due to error AccessDeniedException.',
  InvalidLambdaResponseException: 'Invalid lambda function output : Invalid JSON',
};

export async function startCognitoProxy(options: CognitoProxyOptions = {}): Promise<CognitoProxy> {
  let ownLocal: CognitoLocal | null = null;
  let upstream: string | null;
  if (options.upstream === undefined) {
    ownLocal = await startCognitoLocal();
    upstream = ownLocal.endpoint;
  } else {
    upstream = options.upstream;
  }
  const dataDir = ownLocal?.dir ?? options.dataDir;

  const plan = new FaultPlan(options.faults);
  let stats = emptyStats();
  /** Fast mode's users, per client id. */
  const fastUsers = new Map<string, Set<string>>();

  const answered = (answer: SignUpAnswer): SignUpAnswer => {
    const how =
      answer.kind === 'created'
        ? 'created'
        : answer.kind === 'refused'
          ? answer.error.type
          : answer.kind === 'dropped'
            ? 'reset'
            : 'bare500';
    if (how === 'created') stats.created += 1;
    stats.answers[how] = (stats.answers[how] ?? 0) + 1;
    return answer;
  };

  /**
   * LimitExceededException on SignUp (docs/cognito.md#errors): "the user is successfully created and is in an UNCONFIRMED
   * state" — only the code could not be sent. A refusal before the user is made (UsernameExists,
   * a bad password) is answered as it is.
   */
  const createdWithoutCode = async (next: () => Promise<SignUpAnswer>): Promise<SignUpAnswer> => {
    const answer = await next();
    if (answer.kind !== 'created') return answer;
    stats.createdWithoutCode += 1;
    return { kind: 'refused', error: new AwsError('LimitExceededException', EMAIL_LIMIT) };
  };

  /** The fault's answer, or null to handle the call normally. */
  const fault = (
    call: SignUpCall,
    next: () => Promise<SignUpAnswer>,
  ): SignUpAnswer | Promise<SignUpAnswer> | null => {
    const decision = plan.decide();
    switch (decision.kind) {
      case 'reset':
        return call.drop();
      case 'throttle':
        return { kind: 'refused', error: new AwsError('TooManyRequestsException', 'Rate exceeded') };
      case 'serverError':
        return decision.bare
          ? { kind: 'empty', status: 500 }
          : { kind: 'refused', error: new AwsError('InternalErrorException', 'Internal server error', 500) };
      case 'limitExceeded':
        return createdWithoutCode(next);
      case 'brokenLambda':
        return { kind: 'refused', error: new AwsError(decision.error, LAMBDA_MESSAGES[decision.error]) };
      case 'pass':
        return null;
    }
  };

  const fastSignUp = (call: SignUpCall): SignUpAnswer => {
    const { clientId, username } = call.request;
    const users = fastUsers.get(clientId) ?? new Set<string>();
    fastUsers.set(clientId, users);
    if (users.has(username)) {
      return { kind: 'refused', error: new AwsError('UsernameExistsException', 'User already exists') };
    }
    users.add(username);
    return { kind: 'created', output: { UserConfirmed: false, UserSub: randomUUID() } };
  };

  const hooks: StrictEndpointHooks = {
    aroundSignUp: async (call, next) => {
      const { username } = call.request;
      stats.signUpCalls += 1;
      stats.lastSignUpAt = Date.now();
      stats.byUsername[username] = (stats.byUsername[username] ?? 0) + 1;
      const { delayMs } = plan.get();
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const early = fault(call, next);
      if (early !== null) return answered(await early);
      let created = false;
      try {
        const answer = await next();
        created = answer.kind === 'created';
        return answered(answer);
      } finally {
        plan.settle(created);
      }
    },
    createUser: (call, forward) => (plan.get().fast ? Promise.resolve(fastSignUp(call)) : forward()),
    onRequest: (request) => {
      if (request.path !== '/__control') {
        stats.otherCalls += 1;
        return undefined;
      }
      if (request.method === 'POST') applyControl(request.body);
      return { status: 200, body: { faults: plan.get(), stats: structuredClone(stats) } };
    },
  };

  const rules = upstream === null ? fastRules() : undefined;
  const strict = await startStrictEndpoint({
    upstream,
    ...(dataDir !== undefined && { dataDir }),
    ...(rules !== undefined && { rules }),
    ...(options.port !== undefined && { port: options.port }),
    hooks,
  });

  const control: ProxyControl = {
    set: (patch) => {
      plan.set(patch);
      return plan.get();
    },
    clear: () => {
      plan.clear();
      return plan.get();
    },
    faults: () => plan.get(),
    registerClient: (clientId, info) => {
      strict.rules.registerClient({
        clientId,
        poolId: info.poolId,
        secret: info.secret,
        writeAttributes: info.writeAttributes ?? null,
      });
    },
    resetStats: () => {
      stats = emptyStats();
    },
  };
  for (const [clientId, info] of Object.entries(options.clients ?? {}))
    control.registerClient(clientId, info);

  function applyControl(body: Buffer): void {
    const command: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (!isRecord(command)) throw new AwsError('SerializationException', 'Expected a JSON object');
    if (command['clear'] === true) control.clear();
    if (isRecord(command['set'])) control.set(command['set']);
    if (command['resetStats'] === true) control.resetStats();
    const register = command['registerClient'];
    if (
      isRecord(register) &&
      typeof register['clientId'] === 'string' &&
      typeof register['poolId'] === 'string'
    ) {
      const secret = typeof register['secret'] === 'string' ? register['secret'] : null;
      control.registerClient(register['clientId'], { poolId: register['poolId'], secret });
    }
  }

  return {
    endpoint: strict.endpoint,
    upstream,
    control,
    stats: () => structuredClone(stats),
    stop: async () => {
      await strict.stop();
      if (ownLocal !== null) await ownLocal.stop();
    },
  };
}
