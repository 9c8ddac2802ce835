import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { secretHash } from './secret-hash';

const SECRET = 'super-secret-value-0123456789abcdefghijklmnopqrstuv';
const CLIENT = '7abc123clientid';

/** The same computation done by a separate implementation: openssl. */
function openssl(message: string, key: string): string {
  const mac = execFileSync('openssl', ['dgst', '-sha256', '-hmac', key, '-binary'], { input: message });
  return mac.toString('base64');
}

describe('secretHash', () => {
  it('matches a known answer', () => {
    // Computed once with:
    // printf %s 'alice7abc123clientid' | openssl dgst -sha256 -hmac '<SECRET>' -binary | base64
    expect(secretHash('alice', CLIENT, SECRET)).toBe('nGuAjP2NKKBYJvgJ57YALcF1ov8X2Uo7km0iJuLlAwo=');
    // Non-ASCII usernames are hashed as UTF-8, like Cognito does.
    expect(secretHash('björn@example.com', CLIENT, SECRET)).toBe(
      'fbHHWXuQ1J6aRrpQSYPL8Pl8a1xbj8ysuseA+0OQo2s=',
    );
  });

  it('agrees with openssl for other inputs', () => {
    for (const username of ['bob', '+447700900123', 'x'.repeat(128)]) {
      expect(secretHash(username, 'clientZ', 'k3y')).toBe(openssl(username + 'clientZ', 'k3y'));
    }
  });

  it('depends on the order username + clientId and on the key', () => {
    expect(secretHash('ab', 'c', SECRET)).toBe(secretHash('a', 'bc', SECRET));
    expect(secretHash('alice', CLIENT, SECRET)).not.toBe(secretHash('alice', CLIENT, SECRET + 'x'));
  });
});
