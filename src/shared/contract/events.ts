/**
 * Main → renderer pushes, each tagged with its job id so the renderer can ignore stale ones.
 * Main sends at most one progress event per job every 100 ms.
 */
import { z } from 'zod';
import { ImportProgressSchema } from './import';
import { LogEntrySchema } from './log';

export const events = {
  'import:progress': z.object({ jobId: z.string(), progress: ImportProgressSchema }),
  'import:row': z.object({ jobId: z.string(), entry: LogEntrySchema }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
