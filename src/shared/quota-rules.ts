/**
 * The UserCreation quota (SignUp, ConfirmSignUp, AdminCreateUser, AdminConfirmSignUp together) is
 * per AWS account and Region, shared by every pool, app client and process — and by the account's
 * production sign-ups. These rules are the one judge of which jobs share it and of a cap that
 * leaves too little of it, for the profile form, the CLI and the import engine alike.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
 */

/** AWS's default UserCreation quota, requests per second; accounts can have it raised. */
export const DEFAULT_USER_CREATION_QUOTA = 50;
/** The highest quota a profile may name: a sanity bound on a typing slip, far above usual raises. */
export const MAX_USER_CREATION_QUOTA = 10_000;
/** A job cap above this share of the quota leaves little for production sign-ups. */
const PRODUCTION_HEADROOM_SHARE = 0.8;

/** What the key is made of: a profile's (or a stored job's) connection settings. */
export interface QuotaScope {
  region: string;
  endpoint?: string | undefined;
  accountId?: string | undefined;
}

/** The endpoint the SDK uses when a profile names none (China regions use the .cn domain). */
export function publicEndpoint(region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${domain}`;
}

/**
 * Jobs with the same key share one budget. With the account id it is exact (the quota is per
 * account AND region, so the region stays in the key). Without it, same region + same endpoint is
 * taken as one account: two profiles of one account on the public endpoint then share, and a local
 * endpoint (cognito-local) never shares with AWS.
 */
export function quotaAccountKey(scope: QuotaScope): string {
  const region = scope.region.trim().toLowerCase();
  const accountId = scope.accountId?.trim() ?? '';
  if (accountId !== '') return `account:${accountId}:${region}`;
  const given = scope.endpoint?.trim() ?? '';
  return `endpoint:${region}:${normalEndpoint(given === '' ? publicEndpoint(region) : given)}`;
}

/** Same endpoint, same key: case of the host and a trailing slash do not make another account. */
function normalEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return endpoint.replace(/\/+$/, '').toLowerCase();
  }
}

/** The quota a profile names, or AWS's default when it names none. */
export function userCreationQuota(scope: { userCreationQuota?: number | undefined }): number {
  return scope.userCreationQuota ?? DEFAULT_USER_CREATION_QUOTA;
}

/**
 * A warning, in words, when a cap takes more than PRODUCTION_HEADROOM_SHARE of the quota: the
 * account's production sign-ups draw on the same quota and would be throttled. Null otherwise.
 */
export function productionHeadroomWarning(cap: number, quota: number): string | null {
  if (!(cap > quota * PRODUCTION_HEADROOM_SHARE)) return null;
  const left = Math.max(0, quota - cap);
  return `A cap of ${cap}/s leaves ${left}/s of the account's ${quota}/s sign-up quota for production sign-ups, which draw on the same quota.`;
}

/** "2 jobs share 50/s", or null for a job alone on its budget. */
export function sharedQuotaText(sharedWith: number, quota: number): string | null {
  return sharedWith > 1 ? `${sharedWith} jobs share ${quota}/s` : null;
}
