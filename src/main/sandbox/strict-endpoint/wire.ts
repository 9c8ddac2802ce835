/**
 * The AWS JSON 1.1 protocol as the Cognito user-pools API speaks it: the operation is named by the
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>` header, errors are a JSON body with
 * `__type` and `message` (plus `x-amzn-ErrorType`), which the AWS SDKs turn into named exceptions.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const JSON_11 = 'application/x-amz-json-1.1';
const MAX_BODY = 1024 * 1024;

/** A Cognito error answer: the SDK raises it as an exception named `type`. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The operation a request calls (`SignUp`, …), or null when it names none. */
export function operationOf(req: IncomingMessage): string | null {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : null;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AwsError): void {
  const text = JSON.stringify({ __type: error.type, message: error.message });
  res.writeHead(error.status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${error.type}:`,
  });
  res.end(text);
}

/** An error answer from cognito-local, as an AwsError (its `__type` may carry a namespace `ns#Name`). */
export function errorFromAnswer(status: number, text: string): AwsError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text || 'null');
  } catch {
    parsed = null;
  }
  const rawType = isRecord(parsed) && typeof parsed['__type'] === 'string' ? parsed['__type'] : 'Unknown';
  const message = isRecord(parsed) && typeof parsed['message'] === 'string' ? parsed['message'] : text;
  return new AwsError(rawType.slice(rawType.lastIndexOf('#') + 1), message, status);
}
