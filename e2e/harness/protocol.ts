/**
 * The harness's wire format over its loopback WebSocket (DESIGN.md "Testing without an Electron
 * binary"): the same requests and envelopes Electron IPC carries, plus main → renderer pushes.
 *
 *   renderer → main  { id, channel, request }     one contract call; `id` pairs the answer
 *   main → renderer  { id, envelope }             dispatch()'s envelope for that call
 *   main → renderer  { event, payload }           a push from the contract's `events` table
 *
 * And one HTTP call standing in for Electron's webUtils.getPathForFile (a browser File has no path):
 *   POST /__upload  (headers: token, URI-encoded file name; body: the file) → { path }
 */
import type { Envelope } from '@shared/envelope';

export interface RequestMessage {
  id: number;
  channel: string;
  request: unknown;
}

export interface ResponseMessage {
  id: number;
  envelope: Envelope<unknown>;
}

export interface EventMessage {
  event: string;
  payload: unknown;
}

/** Set by the init script before the client runs: where to connect and the per-run token. */
export interface HarnessConfig {
  url: string;
  token: string;
}

/** The global the init script sets (and the served /harness-client.js prefixes). */
export const CONFIG_GLOBAL = '__SIGNUP_DESK_HARNESS__';

/** The subprotocol carrying the token (query strings end up in logs; headers cannot be set from a page). */
export const TOKEN_PROTOCOL_PREFIX = 'signup-desk-token.';

export function isRequestMessage(value: unknown): value is RequestMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  // `request` may be absent: JSON drops an undefined value, which is what no-argument channels take.
  return typeof message['id'] === 'number' && typeof message['channel'] === 'string';
}

export const UPLOAD_PATH = '/__upload';
export const TOKEN_HEADER = 'x-signup-desk-token';
export const FILE_NAME_HEADER = 'x-signup-desk-file-name';
