/**
 * Browser mode's wire format (the built renderer in a browser, the real main-process services
 * behind a loopback WebSocket instead of Electron IPC). Shared by the server and the page's client,
 * so it imports nothing from Node or the DOM.
 *
 * Over the WebSocket (text frames of JSON):
 *   page → main  { id, channel, request }        one contract call; `id` pairs the answer
 *   main → page  { id, envelope }                dispatch()'s envelope for that call
 *   main → page  { event, payload }              a push from the contract's `events` table
 *   main → page  { dialog: { id, kind: 'openFile', accept } }   "let the person pick a file"
 *   page → main  { dialogAnswer: { id, path, error? } }  the uploaded file's path, or null (cancelled)
 *   main → page  { download: { id, name } }      a file main saved for the person: fetch it
 *
 * Over HTTP (same origin; every call but the first carries the session in SESSION_HEADER):
 *   POST /__session   (LINK_TOKEN_HEADER: the one-time token from the URL's #token=) → { session }
 *   POST /__upload    (URI-encoded FILE_NAME_HEADER; body: the file) → { path }
 *   POST /__download  (body: { id }) → the file, once
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

export interface DialogMessage {
  dialog: { id: number; kind: 'openFile'; accept: string[] };
}

export interface DialogAnswerMessage {
  /** `error`: the person picked a file the page could not hand over (too big, the server gone…). */
  dialogAnswer: { id: number; path: string | null; error?: string };
}

export interface DownloadMessage {
  download: { id: string; name: string };
}

export const SOCKET_PATH = '/__socket';
export const SESSION_PATH = '/__session';
export const UPLOAD_PATH = '/__upload';
export const DOWNLOAD_PATH = '/__download';
export const CLIENT_PATH = '/browser-mode-client.js';

export const LINK_TOKEN_HEADER = 'x-signup-desk-link-token';
export const SESSION_HEADER = 'x-signup-desk-session';
export const FILE_NAME_HEADER = 'x-signup-desk-file-name';

/** The WebSocket subprotocol carrying the session (a page cannot set headers on a WebSocket). */
export const SESSION_PROTOCOL_PREFIX = 'signup-desk-session.';

/** The URL fragment key of the one-time link: `http://127.0.0.1:PORT/#token=…`. */
export const LINK_FRAGMENT_KEY = 'token';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isRequestMessage(value: unknown): value is RequestMessage {
  // `request` may be absent: JSON drops an undefined value, which is what no-argument channels take.
  return isObject(value) && typeof value['id'] === 'number' && typeof value['channel'] === 'string';
}

export function isDialogAnswerMessage(value: unknown): value is DialogAnswerMessage {
  if (!isObject(value) || !isObject(value['dialogAnswer'])) return false;
  const answer = value['dialogAnswer'];
  return (
    typeof answer['id'] === 'number' &&
    (answer['path'] === null || typeof answer['path'] === 'string') &&
    (answer['error'] === undefined || typeof answer['error'] === 'string')
  );
}

export function isDialogMessage(value: unknown): value is DialogMessage {
  return isObject(value) && isObject(value['dialog']) && typeof value['dialog']['id'] === 'number';
}

export function isDownloadMessage(value: unknown): value is DownloadMessage {
  return isObject(value) && isObject(value['download']) && typeof value['download']['id'] === 'string';
}
