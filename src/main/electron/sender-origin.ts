/**
 * Who may talk to main, and what the window loads: the app's own origin (app://signup-desk), plus
 * the electron-vite dev server's exact origin in `npm run dev` — never in a packaged app, whatever
 * ELECTRON_RENDERER_URL says. Pure (no Electron import) so it is unit-tested.
 * https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
import { APP_ENTRY_URL, APP_ORIGIN } from './app-protocol';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `scheme://host[:port]` of a URL, or null. Compared exactly, never by prefix: a prefix check
 * would let `app://signup-desk.evil/` or `http://localhost:51730` through. WHATWG URL gives custom
 * schemes an opaque ("null") origin, so for them the origin is built from protocol and host.
 * URLs with credentials are refused outright.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** The dev server's URL when it may be used: not packaged, and http(s) on a loopback host. */
export function devServerUrl(options: {
  isPackaged: boolean;
  rendererUrl: string | undefined;
}): string | null {
  const { isPackaged, rendererUrl } = options;
  if (isPackaged || rendererUrl === undefined || rendererUrl === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(rendererUrl);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!LOOPBACK_HOSTS.has(parsed.hostname) || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.toString();
}

/** What the main window loads: the dev server in `npm run dev`, else the app protocol's index. */
export function rendererEntryUrl(options: { isPackaged: boolean; rendererUrl: string | undefined }): string {
  return devServerUrl(options) ?? APP_ENTRY_URL;
}

/** The origins whose top frame may call main: the app's own, and in development the dev server's. */
export function trustedOrigins(options: { isPackaged: boolean; rendererUrl: string | undefined }): string[] {
  const dev = devServerUrl(options);
  const devOrigin = dev === null ? null : originOf(dev);
  return devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin];
}

/** The parts of Electron's WebFrameMain the check reads. */
interface SenderFrame {
  url: string;
  parent: unknown;
}

/** True only for a top-level frame whose URL's origin is exactly one of `origins`. */
export function isTrustedSender(frame: SenderFrame | null | undefined, origins: readonly string[]): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.includes(origin);
}
