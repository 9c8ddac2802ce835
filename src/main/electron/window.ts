import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { entryUrl } from './protocol';

/**
 * The main window with the checklist's webPreferences: isolated, sandboxed, no Node in the page,
 * web security on, no insecure content, no experimental features, no extra Blink features.
 * https://www.electronjs.org/docs/latest/tutorial/security#4-enable-process-sandboxing
 */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'SignUp Desk',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // app://signup-desk/index.html (protocol.ts), or the dev server in `npm run dev` — never file://.
  void window.loadURL(entryUrl());
  return window;
}
