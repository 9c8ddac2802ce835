/**
 * Rules for a connection profile that both the form and main apply (main never trusts the form).
 */

/** Hosts that never leave this machine: plain http is acceptable only to them. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The endpoint receives the password and a valid SecretHash of every sign-up: over plain http
 * anyone on the network path could read them, so http is allowed only for loopback endpoints
 * (cognito-local, the sandbox, a local proxy). Empty = the public regional endpoint (https).
 */
export function checkEndpoint(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The endpoint must be an http(s) URL.';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'The endpoint must be an http(s) URL.';
  if (!isLoopbackHost(url.hostname))
    return 'Plain http is allowed only for endpoints on this machine (localhost, 127.0.0.1, ::1): use https.';
  return null;
}

/** What a profile's stored client secret is bound to: change any of these and the secret goes. */
export interface SecretBinding {
  region: string;
  clientId: string;
  endpoint?: string | undefined;
}

/**
 * True when the secret stored for `before` would be sent somewhere else after the change: the
 * SecretHash (and the password) must only ever reach the client the secret was issued for.
 */
export function secretRebound(before: SecretBinding, after: SecretBinding): boolean {
  return (
    before.region !== after.region ||
    before.clientId !== after.clientId ||
    (before.endpoint ?? '') !== (after.endpoint ?? '')
  );
}
