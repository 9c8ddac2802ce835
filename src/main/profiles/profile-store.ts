/**
 * Connection profiles (region, user pool, app client, endpoint) and the active profile, kept in
 * `<home>/profiles.json`. The client secret is never in this file: it goes to the OS keychain
 * through the SecretStore, and the profile only records `hasSecret`. A secret is bound to the
 * region, client and endpoint it was entered for: a save that changes one of them removes it.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ProfileInputSchema,
  ProfileSchema,
  type Profile,
  type ProfileInput,
  type ProfilesState,
} from '@shared/contract';
import { checkEndpoint, secretRebound } from '@shared/profile-rules';
import { AppError } from '../errors';
import type { SecretStore } from '../keychain/secret-store';
import { writeFileAtomic } from './atomic-file';

export const PROFILES_FILE = 'profiles.json';
const FORMAT_VERSION = 1;

const FileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  activeId: z.string().nullable(),
  profiles: z.array(ProfileSchema),
});
type ProfilesFile = z.infer<typeof FileSchema>;

export interface ProfileStore {
  list(): Promise<ProfilesState>;
  /** Throws AppError('ProfileNotFound') for an unknown id. */
  get(id: string): Promise<Profile>;
  /** By id, or else by name (case-insensitive); null when neither matches. For the CLI's --profile. */
  find(idOrName: string): Promise<Profile | null>;
  /** Creates (no id: a new random uuid) or updates a profile. The first profile becomes active. */
  save(input: ProfileInput): Promise<Profile>;
  /** Deletes the profile and its keychain secret. */
  delete(id: string): Promise<ProfilesState>;
  setActive(id: string): Promise<ProfilesState>;
  setSecret(id: string, secret: string): Promise<Profile>;
  removeSecret(id: string): Promise<Profile>;
  /** Marks a profile as the app's local sandbox (cognito-local), never a real pool. */
  markSandbox(id: string): Promise<Profile>;
}

export interface ProfileStoreOptions {
  secrets: SecretStore;
  now?: () => Date;
}

function notFound(id: string): AppError {
  return new AppError('ProfileNotFound', `There is no profile with id "${id}".`, {
    hint: 'It may have been deleted in another window or by the command line; reload the profile list.',
  });
}

function invalidInput(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || '(profile)'] ??= issue.message;
  return new AppError('InvalidRequest', `The profile is not valid — ${Object.values(fields).join(' ')}`, {
    fields,
  });
}

export function createProfileStore(home: string, options: ProfileStoreOptions): ProfileStore {
  const file = join(home, PROFILES_FILE);
  const now = options.now ?? (() => new Date());
  const { secrets } = options;

  // One operation at a time in this process, so two saves never read the same old file.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }

  async function load(): Promise<ProfilesFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { version: FORMAT_VERSION, activeId: null, profiles: [] };
      throw new AppError(
        'ProfilesUnreadable',
        `The profiles file ${file} could not be read: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return quarantine(`it is not valid JSON (${(error as Error).message})`);
    }
    const version = (json as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > FORMAT_VERSION)
      throw new AppError(
        'ProfilesUnreadable',
        `The profiles file ${file} was written by a newer version of SignUp Desk (format ${version}).`,
        { hint: 'Update SignUp Desk; this version will not change the file.' },
      );
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success)
      return quarantine(
        `its contents are not a profile list (${parsed.error.issues[0]?.message ?? 'unknown problem'})`,
      );
    return parsed.data;
  }

  /**
   * A damaged profiles.json is never overwritten: it is moved aside (so nothing is lost and it can
   * be repaired by hand) and the user is told once, by this error; later calls start from empty.
   */
  async function quarantine(why: string): Promise<never> {
    const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside);
    throw new AppError(
      'ProfilesCorrupt',
      `The profiles file was damaged — ${why}. It was moved to ${aside} and SignUp Desk starts with no profiles.`,
      {
        hint: 'Re-create your profiles, or repair the moved file and put it back as profiles.json while the app is closed. Client secrets stay in the OS keychain.',
      },
    );
  }

  async function store(data: ProfilesFile): Promise<void> {
    await writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
  }

  const state = (data: ProfilesFile): ProfilesState => ({ profiles: data.profiles, activeId: data.activeId });

  function indexOf(data: ProfilesFile, id: string): number {
    const index = data.profiles.findIndex((p) => p.id === id);
    if (index < 0) throw notFound(id);
    return index;
  }

  async function update(id: string, change: (profile: Profile) => Profile): Promise<Profile> {
    const data = await load();
    const index = indexOf(data, id);
    const next = change(data.profiles[index]!);
    data.profiles[index] = next;
    await store(data);
    return next;
  }

  return {
    list: () => serial(async () => state(await load())),

    get: (id) =>
      serial(async () => {
        const data = await load();
        return data.profiles[indexOf(data, id)]!;
      }),

    find: (idOrName) =>
      serial(async () => {
        const data = await load();
        const wanted = idOrName.trim().toLowerCase();
        return (
          data.profiles.find((p) => p.id === idOrName) ??
          data.profiles.find((p) => p.name.toLowerCase() === wanted) ??
          null
        );
      }),

    save: (input) =>
      serial(async () => {
        const parsed = ProfileInputSchema.safeParse(input);
        if (!parsed.success) throw invalidInput(parsed.error);
        const fields = parsed.data;
        const data = await load();
        const clash = data.profiles.find(
          (p) => p.id !== fields.id && p.name.toLowerCase() === fields.name.toLowerCase(),
        );
        if (clash !== undefined) {
          const message = `A profile named "${clash.name}" already exists; give this one another name.`;
          throw new AppError('DuplicateProfileName', message, { fields: { name: message } });
        }
        const endpointProblem = checkEndpoint(fields.endpoint ?? '');
        if (endpointProblem !== null)
          throw new AppError('InvalidRequest', `The profile is not valid — ${endpointProblem}`, {
            fields: { endpoint: endpointProblem },
          });
        const time = now().toISOString();
        const endpoint =
          fields.endpoint === undefined || fields.endpoint === '' ? undefined : fields.endpoint;
        const accountId =
          fields.accountId === undefined || fields.accountId === '' ? undefined : fields.accountId;
        const settings = {
          name: fields.name,
          region: fields.region,
          userPoolId: fields.userPoolId,
          clientId: fields.clientId,
          ...(endpoint !== undefined && { endpoint }),
          // The quota budget's key and size (src/main/quota): absent means unknown / AWS's default.
          ...(accountId !== undefined && { accountId }),
          ...(fields.userCreationQuota !== undefined && { userCreationQuota: fields.userCreationQuota }),
        };
        let profile: Profile;
        if (fields.id === undefined) {
          profile = {
            id: randomUUID(),
            ...settings,
            hasSecret: false,
            sandbox: false,
            createdAt: time,
            updatedAt: time,
          };
          data.profiles.push(profile);
          data.activeId ??= profile.id;
        } else {
          const index = indexOf(data, fields.id);
          const old = data.profiles[index]!;
          // Re-pointed: the old secret would hand a valid SecretHash (and the password) to
          // whatever now answers. Removed first, so a keychain failure leaves the profile as it was.
          const dropSecret = old.hasSecret && secretRebound(old, settings);
          if (dropSecret) await secrets.remove(old.id);
          profile = {
            id: old.id,
            ...settings,
            hasSecret: old.hasSecret && !dropSecret,
            sandbox: old.sandbox,
            createdAt: old.createdAt,
            updatedAt: time,
          };
          data.profiles[index] = profile;
        }
        await store(data);
        return profile;
      }),

    delete: (id) =>
      serial(async () => {
        const data = await load();
        const profile = data.profiles[indexOf(data, id)]!;
        // Secret first: if the keychain refuses, the profile stays, so the secret is never orphaned.
        if (profile.hasSecret) await secrets.remove(id);
        data.profiles = data.profiles.filter((p) => p.id !== id);
        if (data.activeId === id) data.activeId = data.profiles[0]?.id ?? null;
        await store(data);
        return state(data);
      }),

    setActive: (id) =>
      serial(async () => {
        const data = await load();
        indexOf(data, id);
        data.activeId = id;
        await store(data);
        return state(data);
      }),

    setSecret: (id, secret) =>
      serial(async () => {
        const data = await load();
        indexOf(data, id);
        await secrets.set(id, secret);
        return update(id, (p) => ({ ...p, hasSecret: true, updatedAt: now().toISOString() }));
      }),

    removeSecret: (id) =>
      serial(async () => {
        const data = await load();
        indexOf(data, id);
        await secrets.remove(id);
        return update(id, (p) => ({ ...p, hasSecret: false, updatedAt: now().toISOString() }));
      }),

    markSandbox: (id) =>
      serial(() => update(id, (p) => ({ ...p, sandbox: true, updatedAt: now().toISOString() }))),
  };
}
