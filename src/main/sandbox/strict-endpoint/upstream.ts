/** Passes a request on to cognito-local unchanged and brings its answer back. */
import type { IncomingMessage } from 'node:http';
import { JSON_11 } from './wire';

export interface UpstreamAnswer {
  status: number;
  contentType: string;
  text: string;
  requestId: string | null;
}

/** Hop-by-hop headers and those fetch sets itself. */
const SKIPPED_HEADERS = new Set([
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
    if (SKIPPED_HEADERS.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function forwardToUpstream(
  upstream: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<UpstreamAnswer> {
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
}
