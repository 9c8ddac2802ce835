/**
 * App-client secrets live in the OS keychain only, never in a file we write: keytar talks to the
 * macOS Keychain, Windows Credential Vault or, on Linux, the freedesktop Secret Service.
 * https://github.com/atom/node-keytar#docs
 *
 * There is deliberately no plaintext fallback: when the keychain cannot be reached or is locked,
 * every call fails with AppError('KeychainUnavailable') saying what to do.
 */
import type { ErrorName } from '@shared/contract';
import { AppError } from '../errors';

export interface SecretStore {
  get(profileId: string): Promise<string | null>;
  set(profileId: string, secret: string): Promise<void>;
  remove(profileId: string): Promise<void>;
}

type Keytar = typeof import('keytar');

export const KEYCHAIN_UNAVAILABLE = 'KeychainUnavailable' satisfies ErrorName;

const WHAT_TO_DO =
  'On Linux start a Secret Service (GNOME Keyring or KWallet) in your desktop session and unlock it; on macOS and Windows sign in to your user account normally. Then try again.';

let keytarPromise: Promise<Keytar> | undefined;

/** keytar is a native module: load it on first use so a missing or broken build is reported plainly. */
function loadKeytar(): Promise<Keytar> {
  keytarPromise ??= import('keytar')
    .then((mod) => (mod as { default?: Keytar }).default ?? mod)
    .catch((error: unknown) => {
      keytarPromise = undefined;
      throw new AppError(
        KEYCHAIN_UNAVAILABLE,
        'The keychain module (keytar) could not be loaded, so client secrets cannot be stored or read.',
        {
          hint: 'Reinstall the app; on Linux make sure libsecret is installed (libsecret-1-0).',
          cause: error,
        },
      );
    });
  return keytarPromise;
}

/**
 * Turns keytar's failures into one plain error. keytar's messages come from libsecret/D-Bus and
 * never contain the secret (we only pass it as the password argument), but we still word our own.
 */
export function keychainError(operation: 'read' | 'store' | 'remove', error: unknown): AppError {
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  // No session bus: "Cannot autolaunch D-Bus without X11 $DISPLAY", "Failed to connect to socket…".
  const noService = /d-?bus|autolaunch|connect|ServiceUnknown|org\.freedesktop\.secrets/i.test(detail);
  // A locked or missing collection: "Cannot create an item in a locked collection",
  // "Object does not exist at path …/collection/login" (no keyring and no prompt to create one).
  const locked = /locked|collection|prompt|dismissed/i.test(detail);
  const message = locked
    ? `The OS keychain is locked (or has no default keyring), so the client secret could not be ${past(operation)}.`
    : noService
      ? `No OS keychain is available (no Secret Service on the session bus), so the client secret could not be ${past(operation)}.`
      : `The OS keychain refused to ${operation} the client secret (${detail}).`;
  return new AppError(KEYCHAIN_UNAVAILABLE, message, {
    hint: locked
      ? `Unlock your keyring (e.g. the "login" keyring), then try again. ${WHAT_TO_DO}`
      : WHAT_TO_DO,
    cause: error,
  });
}

function past(operation: 'read' | 'store' | 'remove'): string {
  return operation === 'read' ? 'read' : operation === 'store' ? 'stored' : 'removed';
}

export function createKeytarSecretStore(service = 'SignUp Desk'): SecretStore {
  return {
    async get(profileId) {
      try {
        const keytar = await loadKeytar();
        return await keytar.getPassword(service, profileId);
      } catch (error) {
        throw keychainError('read', error);
      }
    },
    async set(profileId, secret) {
      try {
        const keytar = await loadKeytar();
        await keytar.setPassword(service, profileId, secret);
      } catch (error) {
        throw keychainError('store', error);
      }
    },
    async remove(profileId) {
      try {
        const keytar = await loadKeytar();
        // false means "there was nothing to delete": removing is idempotent.
        await keytar.deletePassword(service, profileId);
      } catch (error) {
        throw keychainError('remove', error);
      }
    },
  };
}
