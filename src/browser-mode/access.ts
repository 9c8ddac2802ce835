/**
 * Who may talk to browser mode. Any local user or process can reach a loopback port, and any web
 * page the person visits can make their browser send requests to it, so every request is checked:
 *
 * - Host must name this server (127.0.0.1 or localhost with our port): a DNS-rebinding page sends
 *   its own host name. https://developer.mozilla.org/en-US/docs/Web/Security/Attacks/DNS_rebinding
 * - Origin must be present and be this server's origin on the WebSocket upgrade and on every POST.
 *   Browsers always send it there and a page cannot forge it; a missing Origin means a
 *   non-browser client, which has no business here without the page. RFC 6455 §10.2,
 *   https://fetch.spec.whatwg.org/#origin-header
 * - A secret nobody else can learn. The server never serves it: it is printed once as a URL whose
 *   fragment holds a one-time link token (`#token=…`; a fragment is never sent to a server nor put
 *   in a Referer: RFC 3986 §3.5). The page trades it, once, for a session token kept in its
 *   sessionStorage (per origin and per tab, survives a reload). Then the link is spent: a copy of it
 *   in a terminal's scrollback or a browser history is worthless, and a new link is issued for the
 *   next window. (Not a cookie: cookies are not isolated by port, so any other local user's server
 *   on 127.0.0.1 would receive it. https://www.rfc-editor.org/rfc/rfc6265#section-8.5)
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Access {
  /** The current one-time link token (for the URL fragment). */
  linkToken(): string;
  /** Trades the link token for a new session token (and issues a new link token); null if wrong. */
  redeemLink(token: string | undefined): string | null;
  isSession(token: string | undefined): boolean;
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
}

const newToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison, so the time an answer takes tells nothing about the token. */
function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The names a person's browser may use for this server: the printed URL's and `localhost`. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function createAccess(port: () => number): Access {
  let link = newToken();
  const sessions = new Set<string>();
  return {
    linkToken: () => link,
    redeemLink: (token) => {
      if (token === undefined || !sameSecret(token, link)) return null;
      link = newToken();
      const session = newToken();
      sessions.add(session);
      return session;
    },
    isSession: (token) => {
      if (token === undefined) return false;
      for (const session of sessions) if (sameSecret(token, session)) return true;
      return false;
    },
    hostAllowed: (host) => host !== undefined && loopbackHosts(port()).includes(host),
    originAllowed: (origin) =>
      origin !== undefined && loopbackHosts(port()).some((host) => origin === `http://${host}`),
  };
}
