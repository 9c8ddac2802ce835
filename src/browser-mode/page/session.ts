/**
 * How the page gets its session (why it works this way: src/browser-mode/access.ts). The person
 * opens the one-time link `http://127.0.0.1:PORT/#token=…`; this runs before the renderer's own
 * scripts, takes the token out of the address bar at once (history.replaceState: it stays out of
 * the history entry and any bookmark or screenshot) and trades it for a session kept in
 * sessionStorage — per tab and per origin, so a reload keeps working and another site never sees it.
 * https://developer.mozilla.org/en-US/docs/Web/API/History/replaceState
 */
import { LINK_FRAGMENT_KEY, LINK_TOKEN_HEADER, SESSION_PATH } from '../protocol';

const STORAGE_KEY = 'signup-desk-session';

/** Removes `#token=…` from the address and returns it (synchronously: before anything else reads it). */
function takeLinkToken(): string | null {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get(LINK_FRAGMENT_KEY);
  if (token === null) return null;
  fragment.delete(LINK_FRAGMENT_KEY);
  const rest = fragment.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return token;
}

async function redeem(token: string): Promise<string | null> {
  try {
    const response = await fetch(SESSION_PATH, { method: 'POST', headers: { [LINK_TOKEN_HEADER]: token } });
    if (!response.ok) return null;
    const { session } = (await response.json()) as { session?: unknown };
    return typeof session === 'string' ? session : null;
  } catch {
    return null;
  }
}

/** The page's session, or null: it was opened without a (fresh) link and has none from before. */
export function obtainSession(): Promise<string | null> {
  const token = takeLinkToken();
  const stored = (): string | null => sessionStorage.getItem(STORAGE_KEY);
  if (token === null) return Promise.resolve(stored());
  return redeem(token).then((session) => {
    if (session === null) return stored();
    sessionStorage.setItem(STORAGE_KEY, session);
    return session;
  });
}
