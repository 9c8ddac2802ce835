/**
 * The renderer's Content-Security-Policy (checklist item 7), in one place: the app protocol sends it
 * as a response header (app-protocol.ts) and src/renderer/index.html carries the same policy in a
 * <meta> (csp.test.ts keeps the two equal), so it also holds where no header is sent — the dev
 * server and the e2e harness.
 * https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 *
 * style-src has no 'unsafe-inline': the built renderer has no <style> elements (vite emits one CSS
 * file) and no style attributes in its markup; Svelte 5 and bits-ui write run-time styles through
 * the CSSOM (`element.style.cssText`, `style.setProperty`), which CSP does not govern. Only the dev
 * server needs 'unsafe-inline' for <style> elements (vite injects CSS that way); the dev build
 * relaxes the meta for itself (electron.vite.config.ts), never the built app.
 */

/** Directives that hold in a <meta> as well as in a header. */
const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** frame-ancestors is ignored (with a console warning) in a <meta>: header only. */
const HEADER_ONLY: readonly (readonly [string, string])[] = [['frame-ancestors', "'none'"]];

function join(directives: readonly (readonly [string, string])[]): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The policy sent as the Content-Security-Policy header of every app:// response. */
export const CSP_HEADER = join([...DIRECTIVES, ...HEADER_ONLY]);

/** The same policy minus the header-only directives: what index.html's <meta> must say. */
export const CSP_META = join(DIRECTIVES);

/** The dev server's variant of the meta: vite's dev client injects CSS as <style> elements. */
export function devServerCsp(meta: string): string {
  return meta.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}
