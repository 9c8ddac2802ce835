import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP_HEADER, CSP_META, devServerCsp } from './csp';

const indexHtml = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');

function metaPolicy(html: string): string | undefined {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
}

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe('CSP', () => {
  it('is strict: self only, no inline script or style, nothing framed, no base or forms', () => {
    const header = directives(CSP_HEADER);
    expect(header.get('default-src')).toBe("'self'");
    expect(header.get('script-src')).toBe("'self'");
    expect(header.get('style-src')).toBe("'self'");
    expect(header.get('object-src')).toBe("'none'");
    expect(header.get('base-uri')).toBe("'none'");
    expect(header.get('form-action')).toBe("'none'");
    expect(header.get('frame-ancestors')).toBe("'none'");
    expect(CSP_HEADER).not.toContain('unsafe');
  });

  it('index.html carries the same policy in its meta, minus the header-only frame-ancestors', () => {
    expect(metaPolicy(indexHtml)).toBe(CSP_META);
    expect(directives(CSP_META).has('frame-ancestors')).toBe(false);
    expect([...directives(CSP_META)]).toEqual(
      [...directives(CSP_HEADER)].filter(([n]) => n !== 'frame-ancestors'),
    );
  });

  it('relaxes only style-src, only for the dev server', () => {
    expect(directives(devServerCsp(CSP_META)).get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(devServerCsp(CSP_META).replace(" 'unsafe-inline'", '')).toBe(CSP_META);
  });
});
