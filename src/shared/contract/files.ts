/**
 * Files the user chose. The renderer never sees or sends a path to read: it gets an opaque handle
 * (main keeps the path, src/main/files/file-handles.ts) and the file's name and size to show.
 * docs/security.md#files
 */
import { z } from 'zod';

/** 128 random bits, base64url without padding (22 characters). */
export const FileHandleSchema = z
  .string()
  .max(22)
  .regex(/^[A-Za-z0-9_-]{22}$/, 'Choose a CSV file.');

export const ChosenFileSchema = z.object({
  handle: FileHandleSchema,
  name: z.string(),
  size: z.number().int(),
});
export type ChosenFileView = z.infer<typeof ChosenFileSchema>;

/** What the open dialog answers: the chosen file, or null when the user cancelled. */
export const OpenCsvResultSchema = ChosenFileSchema.nullable();

/** Where main saved a file (the save dialog's answer stays in main; this is for display). */
export const SavedFileSchema = z.object({ path: z.string() }).nullable();

export const fileChannels = {
  'files:openCsv': { request: z.undefined(), response: OpenCsvResultSchema },
  /**
   * A file dropped on the window, its path resolved in the preload (Electron's webUtils) or by
   * browser mode's upload. Not in window.api as a path-taking function: the page hands the preload
   * a File. Main takes the path only once the user confirms it (or it is browser mode's own upload).
   */
  'files:fromDrop': {
    request: z.object({
      // webUtils gives '' for a File that is not on disk (one a page built in JS).
      path: z.string().min(1, 'This file is not on disk: save it, then drop it again.').max(4096),
    }),
    response: ChosenFileSchema,
  },
} as const;
