/**
 * `GET /__sandbox/codes/<poolId>/<username>` → `{ username, code, userStatus }` (404 when there is
 * none): the confirmation code of a sandbox user, for confirming sign-ups without a mailbox.
 * Answered only to loopback callers that name the endpoint by its loopback address, so a web page
 * cannot read it through DNS rebinding (its Host header would carry the page's name).
 */
import type { IncomingMessage } from 'node:http';
import { readConfirmationCode } from './confirmation-codes';
import type { RawReply } from './hooks';

export const CODES_PATH = '/__sandbox/codes/';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function fromLoopback(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return (
    LOOPBACK.has(req.socket.remoteAddress ?? '') &&
    (host === '127.0.0.1' || host === 'localhost' || host === '[::1]')
  );
}

function notFound(message: string): RawReply {
  return { status: 404, body: { __type: 'UserNotFoundException', message } };
}

export async function answerCodes(
  req: IncomingMessage,
  path: string,
  dataDir: string | null,
): Promise<RawReply> {
  if (!fromLoopback(req)) return { status: 403, body: { message: 'Loopback only' } };
  if (dataDir === null) return notFound('This endpoint does not know where cognito-local keeps its data.');
  const [poolId, username, ...rest] = path
    .slice(CODES_PATH.length)
    .split('/')
    .map((part) => decodeURIComponent(part));
  if (
    req.method !== 'GET' ||
    poolId === undefined ||
    username === undefined ||
    username === '' ||
    rest.length > 0
  ) {
    return { status: 400, body: { message: `Expected GET ${CODES_PATH}<poolId>/<username>` } };
  }
  const found = await readConfirmationCode(dataDir, poolId, username);
  return found === null
    ? notFound(`No confirmation code for ${username} in ${poolId}.`)
    : { status: 200, body: found };
}
