/**
 * App-wide hardening from Electron's security checklist:
 * https://www.electronjs.org/docs/latest/tutorial/security
 */
import { app, session, shell, type WebContents } from 'electron';

/** The only way a link leaves the app: https only, in the user's browser (checklist item 15). */
export function openExternalSafely(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol === 'https:') void shell.openExternal(parsed.toString());
}

/**
 * Every WebContents, now and later: no navigation away (any frame), no redirects, no new windows,
 * no webviews (items 13, 14, 12, 11). The app is one page; its routes are in-page, which fire none
 * of these. Links with target=_blank reach openExternalSafely and nothing else.
 */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}

/**
 * The app needs no camera, notifications, geolocation, clipboard reads, HID/serial/USB…: deny
 * every request and every check, and every device (item 5). Without these Electron grants them.
 */
export function denyPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
