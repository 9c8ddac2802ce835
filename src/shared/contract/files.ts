/** What the native file dialogs answer: a chosen path, or null when the user cancelled. */
import { z } from 'zod';

export const OpenCsvResultSchema = z.object({ path: z.string() }).nullable();

export const SavedFileSchema = z.object({ path: z.string() }).nullable();

export const fileChannels = {
  'files:openCsv': { request: z.undefined(), response: OpenCsvResultSchema },
} as const;
