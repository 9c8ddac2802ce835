/** The CLI names profiles by their name (what people see in the app); an id works too. */
import type { ErrorName, Profile } from '@shared/contract';
import { AppError } from '../errors';
import { call } from './call';
import type { CliServices } from './command';

export const PROFILE_NOT_FOUND = 'ProfileNotFound' satisfies ErrorName;

export async function findProfile(services: CliServices, nameOrId: string): Promise<Profile> {
  const { profiles } = await call(services, 'profiles:list', undefined);
  const lower = nameOrId.toLowerCase();
  // Names are unique regardless of case (the profile store enforces it), so case is forgiven.
  const profile =
    profiles.find((p) => p.name === nameOrId) ??
    profiles.find((p) => p.id === nameOrId) ??
    profiles.find((p) => p.name.toLowerCase() === lower);
  if (profile === undefined) {
    throw new AppError(PROFILE_NOT_FOUND, `There is no profile named "${nameOrId}".`, {
      hint:
        profiles.length === 0
          ? 'Add one with `signup-desk profiles add --name … --region … --user-pool-id … --client-id …`.'
          : `Known profiles: ${profiles.map((p) => p.name).join(', ')}.`,
    });
  }
  return profile;
}
