/**
 * The harness's wire format over its loopback WebSocket (DESIGN.md "Testing without an Electron
 * binary"): the same requests and envelopes Electron IPC carries, plus main → renderer pushes.
 *
 *   renderer → main  { id, channel, request }     one contract call; `id` pairs the answer
 *   main → renderer  { id, envelope }             dispatch()'s envelope for that call
 *   main → renderer  { event, payload }           a push from the contract's `events` table
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
