/**
 * The confirmation code cognito-local generated for a user, read from where it keeps it: the
 * pool's file `<cwd>/.cognito/db/<poolId>.json`, `Users.<username>.ConfirmationCode` (it also
 * prints the code in a "Confirmation Code Delivery" log box, but the sandbox does not keep that
 * output). In a pool whose username is an email or phone number, cognito-local files the user
 * under its `sub`, so the user is also found by that attribute. Sandbox data only: no real code
 * is ever readable like this.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from './wire';

export interface ConfirmationCode {
  /** The username cognito-local files the user under (the sub, in email-username pools). */
  username: string;
  code: string;
  userStatus: string | null;
}

/** Pool ids look like `local_AbC123` / `us-east-1_AbC123`: nothing that can leave the folder. */
const POOL_ID = /^[\w-]+_[0-9A-Za-z]+$/;

async function readPoolFile(file: string): Promise<unknown> {
  // cognito-local rewrites the file in place; a read in the middle of a write is tried again.
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function matches(key: string, user: Record<string, unknown>, username: string): boolean {
  if (key === username) return true;
  const attributes = Array.isArray(user['Attributes']) ? user['Attributes'].filter(isRecord) : [];
  return attributes.some(
    (a) =>
      (a['Name'] === 'email' || a['Name'] === 'phone_number' || a['Name'] === 'sub') &&
      a['Value'] === username,
  );
}

/** The code of `username` in `poolId`, or null (no such pool or user, or no code pending). */
export async function readConfirmationCode(
  dataDir: string,
  poolId: string,
  username: string,
): Promise<ConfirmationCode | null> {
  if (!POOL_ID.test(poolId)) return null;
  const db = await readPoolFile(join(dataDir, '.cognito', 'db', `${poolId}.json`));
  const users = isRecord(db) && isRecord(db['Users']) ? db['Users'] : {};
  for (const [key, user] of Object.entries(users)) {
    if (!isRecord(user) || !matches(key, user, username)) continue;
    const code = user['ConfirmationCode'];
    if (typeof code !== 'string') return null;
    const status = user['UserStatus'];
    return { username: key, code, userStatus: typeof status === 'string' ? status : null };
  }
  return null;
}
