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

/** Every WebContents, now and later: no navigation away, no new windows, no webviews (items 13, 14, 12). */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}

/** The app needs no camera, notifications, geolocation…: deny every request and check (item 5). */
export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
