/**
 * The strict endpoint: an HTTP server on 127.0.0.1 in front of cognito-local that answers SignUp
 * the way Cognito would — SecretHash, password policy, schema, write permissions, username
 * attributes, masked CodeDeliveryDetails (cognito-local checks none of these) — and forwards every
 * other operation unchanged. The sandbox gives its URL to the sandbox profile; the tests' Cognito
 * proxy wraps it through `hooks` (faults, counts). Confirmation codes: see codes-route.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerCodes, CODES_PATH } from './codes-route';
import type { RawReply, SignUpAnswer, SignUpCall, StrictEndpointHooks } from './hooks';
import { createRulesReader, type RulesSource } from './rules-reader';
import { handleSignUp } from './sign-up-handler';
import { parseSignUpRequest } from './sign-up-request';
import { forwardToUpstream, type UpstreamAnswer } from './upstream';
import { AwsError, operationOf, readBody, sendError, sendJson } from './wire';

const HOST = '127.0.0.1';

/** Operations after which cached pool or client rules may be stale. */
const CHANGES_RULES = new Set([
  'UpdateUserPool',
  'AddCustomAttributes',
  'UpdateUserPoolClient',
  'DeleteUserPool',
  'DeleteUserPoolClient',
]);

export interface StrictEndpointOptions {
  /** cognito-local's URL; null only for a caller that answers SignUp itself (hooks.createUser, `rules`). */
  upstream: string | null;
  /** The folder cognito-local runs in (its data is `<dataDir>/.cognito`), for the codes route. */
  dataDir?: string;
  /** Where the rules come from; default: looked up in `upstream` and cached. */
  rules?: RulesSource;
  hooks?: StrictEndpointHooks;
  /** Default: any free port. */
  port?: number;
}

export interface StrictEndpoint {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  rules: RulesSource;
  stop(): Promise<void>;
}

function noUpstream(): AwsError {
  return new AwsError('CognitoLocal#Unsupported', 'No cognito-local behind this endpoint.');
}

function writeAnswer(res: ServerResponse, answer: SignUpAnswer): void {
  switch (answer.kind) {
    case 'created':
      return sendJson(res, 200, answer.output);
    case 'refused':
      return sendError(res, answer.error);
    case 'empty':
      res.writeHead(answer.status, { 'content-length': 0 });
      res.end();
      return;
    case 'dropped':
      return;
  }
}

function writeUpstream(res: ServerResponse, answer: UpstreamAnswer): void {
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    ...(answer.requestId !== null && { 'x-amzn-requestid': answer.requestId }),
  });
  res.end(answer.text);
}

function writeReply(res: ServerResponse, reply: RawReply): void {
  sendJson(res, reply.status, reply.body);
}

export async function startStrictEndpoint(options: StrictEndpointOptions): Promise<StrictEndpoint> {
  const { upstream } = options;
  const reader = options.rules === undefined && upstream !== null ? createRulesReader(upstream) : null;
  const rules = options.rules ?? reader;
  if (rules === null) throw new Error('A strict endpoint without cognito-local needs its rules given.');
  const hooks = options.hooks ?? {};
  const forward = (req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> =>
    upstream === null ? Promise.reject(noUpstream()) : forwardToUpstream(upstream, req, body);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://endpoint').pathname;
    const operation = operationOf(req);
    if (path.startsWith(CODES_PATH))
      return writeReply(res, await answerCodes(req, path, options.dataDir ?? null));
    if (req.method === 'POST' && operation === 'SignUp') {
      const call: SignUpCall = {
        request: parseSignUpRequest(body),
        drop: () => {
          req.socket.destroy();
          return { kind: 'dropped' };
        },
      };
      return writeAnswer(res, await handleSignUp(call, { rules, hooks, forward: () => forward(req, body) }));
    }
    const reply = hooks.onRequest?.({ method: req.method ?? 'GET', path, operation, body });
    if (reply !== undefined) return writeReply(res, reply);
    const answer = await forward(req, body);
    if (operation !== null && CHANGES_RULES.has(operation) && answer.status === 200) rules.forget();
    writeUpstream(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const awsError =
        error instanceof AwsError
          ? error
          : new AwsError(
              'InternalErrorException',
              `Sandbox endpoint error: ${(error as Error).message}`,
              500,
            );
      if (!res.headersSent && !req.socket.destroyed) sendError(res, awsError);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    rules,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      reader?.close();
    },
  };
}
