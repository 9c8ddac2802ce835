import { app, protocol } from 'electron';
import { join } from 'node:path';
import { APP_SCHEME, createAppProtocolHandler } from './app-protocol';
import { rendererEntryUrl, trustedOrigins } from './sender-origin';

/**
 * app:// as a standard, secure scheme: relative URLs resolve, the page is a secure context with a
 * real origin (app://signup-desk), and no privilege beyond that — not bypassCSP, not corsEnabled
 * (other origins cannot read it), no service workers. Must run before the app is ready.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, codeCache: true } },
  ]);
}

/** The built renderer folder (inside app.asar when packaged). */
function rendererDir(): string {
  return join(import.meta.dirname, '../renderer');
}

/** Serves the renderer folder on app:// (default session). Call once the app is ready. */
export function handleAppProtocol(): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir()));
}

/** Where the window goes and who may call main, decided once from app.isPackaged and the env. */
function rendererOptions(): { isPackaged: boolean; rendererUrl: string | undefined } {
  return { isPackaged: app.isPackaged, rendererUrl: process.env['ELECTRON_RENDERER_URL'] };
}

export function entryUrl(): string {
  return rendererEntryUrl(rendererOptions());
}

export function allowedOrigins(): string[] {
  return trustedOrigins(rendererOptions());
}
