import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-protocol';
import { devServerUrl, isTrustedSender, originOf, rendererEntryUrl, trustedOrigins } from './sender-origin';

const dev = { isPackaged: false, rendererUrl: 'http://localhost:5173' };
const packaged = { isPackaged: true, rendererUrl: 'http://localhost:5173' };
const built = { isPackaged: false, rendererUrl: undefined };

describe('originOf', () => {
  it('is scheme://host[:port], for custom schemes too', () => {
    expect(originOf('app://signup-desk/index.html#/log')).toBe('app://signup-desk');
    expect(originOf('http://localhost:5173/src/main.ts')).toBe('http://localhost:5173');
    expect(originOf('http://localhost:80/')).toBe('http://localhost');
    // Chromium hands main canonical (lower-case) URLs; anything else simply does not match.
    expect(originOf('APP://SIGNUP-DESK/')).not.toBe('app://signup-desk');
  });
  it('is null for file:, opaque URLs, credentials and garbage', () => {
    expect(originOf('file:///opt/app/resources/app.asar/out/renderer/index.html')).toBeNull();
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('data:text/html,hi')).toBeNull();
    expect(originOf('app://user:pw@signup-desk/')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});

describe('devServerUrl / rendererEntryUrl / trustedOrigins', () => {
  it('uses the dev server only unpackaged, and only on loopback http(s)', () => {
    expect(devServerUrl(dev)).toBe('http://localhost:5173/');
    expect(devServerUrl(packaged)).toBeNull();
    expect(devServerUrl(built)).toBeNull();
    expect(devServerUrl({ isPackaged: false, rendererUrl: '' })).toBeNull();
    expect(devServerUrl({ isPackaged: false, rendererUrl: 'http://127.0.0.1:5173' })).toBe(
      'http://127.0.0.1:5173/',
    );
    expect(devServerUrl({ isPackaged: false, rendererUrl: 'https://evil.example/' })).toBeNull();
    expect(devServerUrl({ isPackaged: false, rendererUrl: 'file:///tmp/index.html' })).toBeNull();
    expect(devServerUrl({ isPackaged: false, rendererUrl: 'http://localhost.evil.example:5173' })).toBeNull();
  });
  it('loads the app protocol unless in development', () => {
    expect(rendererEntryUrl(dev)).toBe('http://localhost:5173/');
    expect(rendererEntryUrl(packaged)).toBe(APP_ENTRY_URL);
    expect(rendererEntryUrl(built)).toBe(APP_ENTRY_URL);
  });
  it('trusts the app origin, plus the dev server exactly in development', () => {
    expect(trustedOrigins(dev)).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    expect(trustedOrigins(packaged)).toEqual([APP_ORIGIN]);
    expect(trustedOrigins(built)).toEqual([APP_ORIGIN]);
  });
});

describe('isTrustedSender', () => {
  const top = (url: string) => ({ url, parent: null });
  const origins = trustedOrigins(built);

  it('accepts our top frame', () => {
    expect(isTrustedSender(top(APP_ENTRY_URL), origins)).toBe(true);
    expect(isTrustedSender(top(`${APP_ORIGIN}/index.html?x=1#/import`), origins)).toBe(true);
  });
  it('refuses file:// pages, look-alike origins, subframes and missing frames', () => {
    for (const url of [
      'file:///home/u/app/out/renderer/index.html',
      'file://?/renderer/index.html',
      'app://signup-desk.evil/index.html',
      'app://signup-desk:1/index.html',
      'app://other/index.html',
      'http://localhost:5173/',
      'https://signup-desk/index.html',
      'about:blank',
    ]) {
      expect(isTrustedSender(top(url), origins), url).toBe(false);
    }
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
    expect(isTrustedSender(undefined, origins)).toBe(false);
  });
  it('in development accepts the exact dev-server origin only', () => {
    const devOrigins = trustedOrigins(dev);
    expect(isTrustedSender(top('http://localhost:5173/'), devOrigins)).toBe(true);
    expect(isTrustedSender(top('http://localhost:51730/'), devOrigins)).toBe(false);
    expect(isTrustedSender(top('http://localhost:5173.evil.example/'), devOrigins)).toBe(false);
    expect(isTrustedSender(top('https://localhost:5173/'), devOrigins)).toBe(false);
    // Packaged: the same env var opens nothing.
    expect(isTrustedSender(top('http://localhost:5173/'), trustedOrigins(packaged))).toBe(false);
  });
});
