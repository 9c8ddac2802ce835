/**
 * A Cognito-compatible endpoint for tests: an HTTP server on 127.0.0.1 that speaks the AWS JSON 1.1
 * protocol (`X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`) and forwards every call to
 * cognito-local, but for SignUp adds what cognito-local does not model (DESIGN.md "Local Cognito
 * endpoint for tests"): the SecretHash check, masked delivery destinations, and injected faults —
 * throttling, 5xx, connection resets, latency, LimitExceededException — plus call counts so tests
 * can assert "exactly once" and "no calls after stop".
 *
 * Control at run time either through the returned `control` object or over HTTP:
 *   GET  /__control            → { faults, stats }
 *   POST /__control  { set?: FaultOptions, clear?: true, resetStats?: true,
 *                      registerClient?: { clientId, poolId, secret } } → { faults, stats }
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';
import { FaultPlan, type FaultOptions, type FaultState } from './faults';
import { maskDestination } from './mask-destination';

export type { FaultOptions, FaultState, CountedFault, ServerErrorFault } from './faults';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_11 = 'application/x-amz-json-1.1';
const MAX_BODY = 1024 * 1024;

export interface ClientInfo {
  poolId: string;
  /** Null when the app client has no secret. */
  secret: string | null;
}

export interface CognitoProxyOptions {
  /**
   * The cognito-local endpoint to forward to. Absent: the proxy starts its own cognito-local and
   * stops it on stop(). Null: no upstream at all (only fast-mode SignUp is answered).
   */
  upstream?: string | null;
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

/** SecretHash = Base64(HMAC-SHA256(key = client secret, message = username + clientId)). */
export function secretHash(username: string, clientId: string, secret: string): string {
  // https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function emptyStats(): ProxyStats {
  return { signUpCalls: 0, byUsername: {}, created: 0, answers: {}, otherCalls: 0, lastSignUpAt: null };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new AwsError('SerializationException', 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: AwsError): void {
  const text = JSON.stringify({ __type: error.type, message: error.message });
  res.writeHead(error.status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${error.type}:`,
  });
  res.end(text);
}

/** One AWS JSON 1.1 call to cognito-local (for the client lookup). */
async function callUpstream(upstream: string, operation: string, body: unknown): Promise<unknown> {
  const response = await fetch(upstream, {
    method: 'POST',
    headers: { 'content-type': JSON_11, 'x-amz-target': TARGET_PREFIX + operation },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${operation} failed: ${JSON.stringify(json)}`);
  return json;
}

function listOf(value: unknown, key: string): Record<string, unknown>[] {
  const list = isRecord(value) ? value[key] : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

async function lookUpClient(upstream: string, clientId: string): Promise<ClientInfo | null> {
  const pools = listOf(await callUpstream(upstream, 'ListUserPools', { MaxResults: 60 }), 'UserPools');
  for (const pool of pools) {
    const poolId = pool['Id'];
    if (typeof poolId !== 'string') continue;
    const clients = listOf(
      await callUpstream(upstream, 'ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 }),
      'UserPoolClients',
    );
    if (!clients.some((client) => client['ClientId'] === clientId)) continue;
    const described = await callUpstream(upstream, 'DescribeUserPoolClient', {
      UserPoolId: poolId,
      ClientId: clientId,
    });
    const client = isRecord(described) ? described['UserPoolClient'] : undefined;
    const secret = isRecord(client) ? client['ClientSecret'] : undefined;
    return { poolId, secret: typeof secret === 'string' && secret !== '' ? secret : null };
  }
  return null;
}

const FORWARDED_HEADERS_SKIPPED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'expect',
]);

function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (FORWARDED_HEADERS_SKIPPED.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function startCognitoProxy(options: CognitoProxyOptions = {}): Promise<CognitoProxy> {
  let ownLocal: CognitoLocal | null = null;
  let upstream: string | null;
  if (options.upstream === undefined) {
    ownLocal = await startCognitoLocal();
    upstream = ownLocal.endpoint;
  } else {
    upstream = options.upstream;
  }

  const plan = new FaultPlan(options.faults);
  let stats = emptyStats();
  const clients = new Map<string, Promise<ClientInfo | null>>();
  for (const [clientId, info] of Object.entries(options.clients ?? {})) {
    clients.set(clientId, Promise.resolve(info));
  }
  /** Fast mode's users, per client id. */
  const fastUsers = new Map<string, Set<string>>();

  const clientInfo = (clientId: string): Promise<ClientInfo | null> => {
    const cached = clients.get(clientId);
    if (cached !== undefined) return cached;
    if (upstream === null) return Promise.resolve(null);
    const lookup = lookUpClient(upstream, clientId).then((info) => {
      // Do not cache a miss: the client may be created after this call.
      if (info === null) clients.delete(clientId);
      return info;
    });
    lookup.catch(() => clients.delete(clientId));
    clients.set(clientId, lookup);
    return lookup;
  };

  const answered = (how: string): void => {
    stats.answers[how] = (stats.answers[how] ?? 0) + 1;
  };

  const forward = async (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; contentType: string; text: string; requestId: string | null }> => {
    if (upstream === null) {
      throw new AwsError(
        'CognitoLocal#Unsupported',
        'This proxy runs without cognito-local (fast mode only).',
      );
    }
    const response = await fetch(new URL(req.url ?? '/', upstream), {
      method: req.method ?? 'POST',
      headers: forwardHeaders(req),
      ...(req.method !== 'GET' && req.method !== 'HEAD' && { body: new Uint8Array(body) }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? JSON_11,
      text: await response.text(),
      requestId: response.headers.get('x-amzn-requestid'),
    };
  };

  const checkSecretHash = async (request: Record<string, unknown>, clientId: string): Promise<void> => {
    const info = await clientInfo(clientId);
    if (info === null) return; // unknown client: cognito-local answers ResourceNotFoundException
    const sent = request['SecretHash'];
    const username = typeof request['Username'] === 'string' ? request['Username'] : '';
    if (info.secret === null) {
      if (sent !== undefined) {
        // Wording not confirmed against the live service; the exception name is what clients act on.
        throw new AwsError('NotAuthorizedException', `Client ${clientId} is configured without secret.`);
      }
      return;
    }
    if (typeof sent !== 'string' || sent !== secretHash(username, clientId, info.secret)) {
      throw new AwsError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
  };

  const fastSignUp = (request: Record<string, unknown>, clientId: string): Record<string, unknown> => {
    const username = typeof request['Username'] === 'string' ? request['Username'] : '';
    const users = fastUsers.get(clientId) ?? new Set<string>();
    fastUsers.set(clientId, users);
    if (users.has(username)) throw new AwsError('UsernameExistsException', 'User already exists');
    users.add(username);
    const attributes = Array.isArray(request['UserAttributes']) ? request['UserAttributes'] : [];
    const email = attributes.find((attribute) => isRecord(attribute) && attribute['Name'] === 'email') as
      Record<string, unknown> | undefined;
    return {
      UserConfirmed: false,
      UserSub: randomUUID(),
      ...(typeof email?.['Value'] === 'string' && {
        CodeDeliveryDetails: { Destination: email['Value'], DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      }),
    };
  };

  const handleSignUp = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      request = null;
    }
    stats.signUpCalls += 1;
    stats.lastSignUpAt = Date.now();
    if (!isRecord(request)) throw new AwsError('SerializationException', 'Malformed request body');
    const username = typeof request['Username'] === 'string' ? request['Username'] : '';
    stats.byUsername[username] = (stats.byUsername[username] ?? 0) + 1;
    const clientId = typeof request['ClientId'] === 'string' ? request['ClientId'] : '';

    const { delayMs, fast } = plan.get();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));

    const decision = plan.decide();
    switch (decision.kind) {
      case 'reset':
        answered('reset');
        req.socket.destroy();
        return;
      case 'throttle':
        throw new AwsError('TooManyRequestsException', 'Rate exceeded');
      case 'serverError':
        if (decision.bare) {
          answered('bare500');
          res.writeHead(500, { 'content-length': 0 });
          res.end();
          return;
        }
        throw new AwsError('InternalErrorException', 'Internal server error', 500);
      case 'limitExceeded':
        // The message Cognito gives when its built-in email sender's daily quota is spent.
        throw new AwsError(
          'LimitExceededException',
          'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.',
        );
      case 'pass':
        break;
    }

    let created = false;
    try {
      await checkSecretHash(request, clientId);
      let result: Record<string, unknown>;
      if (fast) {
        result = fastSignUp(request, clientId);
      } else {
        const upstreamAnswer = await forward(req, body);
        if (upstreamAnswer.status !== 200) {
          const parsed: unknown = JSON.parse(upstreamAnswer.text || 'null');
          const type =
            isRecord(parsed) && typeof parsed['__type'] === 'string' ? parsed['__type'] : 'Unknown';
          answered(type);
          res.writeHead(upstreamAnswer.status, { 'content-type': upstreamAnswer.contentType });
          res.end(upstreamAnswer.text);
          return;
        }
        const parsed: unknown = JSON.parse(upstreamAnswer.text);
        result = isRecord(parsed) ? parsed : {};
      }
      const delivery = result['CodeDeliveryDetails'];
      if (isRecord(delivery) && typeof delivery['Destination'] === 'string') {
        delivery['Destination'] = maskDestination(delivery['Destination']);
      }
      created = true;
      stats.created += 1;
      answered('created');
      sendJson(res, 200, result);
    } finally {
      plan.settle(created);
    }
  };

  const handleControl = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    if (req.method === 'POST') {
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
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ faults: plan.get(), stats: structuredClone(stats) }));
  };

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
      clients.set(clientId, Promise.resolve({ ...info }));
    },
    resetStats: () => {
      stats = emptyStats();
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const path = new URL(req.url ?? '/', 'http://proxy').pathname;
        if (path === '/__control') return handleControl(req, res, body);
        const target = req.headers['x-amz-target'];
        if (req.method === 'POST' && target === `${TARGET_PREFIX}SignUp`) {
          return await handleSignUp(req, res, body);
        }
        stats.otherCalls += 1;
        const answer = await forward(req, body);
        res.writeHead(answer.status, {
          'content-type': answer.contentType,
          ...(answer.requestId !== null && { 'x-amzn-requestid': answer.requestId }),
        });
        res.end(answer.text);
      } catch (error) {
        const awsError =
          error instanceof AwsError
            ? error
            : new AwsError('InternalErrorException', `Proxy error: ${(error as Error).message}`, 500);
        if (req.headers['x-amz-target'] === `${TARGET_PREFIX}SignUp`) answered(awsError.type);
        if (!res.headersSent && !req.socket.destroyed) sendError(res, awsError);
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    upstream,
    control,
    stats: () => structuredClone(stats),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (ownLocal !== null) await ownLocal.stop();
    },
  };
}
