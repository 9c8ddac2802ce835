/** The local sandbox pool (cognito-local) the app starts itself. */
import { z } from 'zod';
import { ProfileSchema } from './profiles';

export const SandboxStatusSchema = z.object({
  running: z.boolean(),
  endpoint: z.string().optional(),
  profileId: z.string().optional(),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

export const sandboxChannels = {
  'sandbox:status': { request: z.undefined(), response: SandboxStatusSchema },
  'sandbox:start': { request: z.undefined(), response: ProfileSchema },
} as const;
