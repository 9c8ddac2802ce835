/**
 * The one channel table, assembled from the domains' maps: main registers a handler for every
 * entry and parses every request with its schema; preload and the test harness expose exactly
 * these channels; the renderer's request and response types come from here.
 */
import type { z } from 'zod';
import { fileChannels } from './files';
import { importChannels } from './import';
import { logChannels } from './log';
import { profileChannels } from './profiles';
import { sandboxChannels } from './sandbox';
import { seedChannels } from './seed';
import { signUpChannels } from './sign-up';

export const contract = {
  ...profileChannels,
  ...sandboxChannels,
  ...signUpChannels,
  ...logChannels,
  ...fileChannels,
  ...importChannels,
  ...seedChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (defaults not yet applied). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What a handler receives after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;
