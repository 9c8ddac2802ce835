/**
 * Calls a domain handler through the same contract parsing the app's IPC uses (dispatch), so a
 * profile added from the CLI is checked exactly like one saved from the form. A refusal comes
 * back as the renderer would see it (ApiError): its name may be Cognito's, not one of ours.
 */
import type { Channel, RequestOf, ResponseOf } from '@shared/contract';
import { ApiError } from '@shared/envelope';
import { dispatch } from '../ipc/dispatch';
import type { CliServices } from './command';

export async function call<C extends Channel>(
  services: CliServices,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (envelope.ok) return envelope.value as ResponseOf<C>;
  const { name, message, hint, fields } = envelope.error;
  throw new ApiError({
    name,
    message,
    ...(hint !== undefined && { hint }),
    ...(fields !== undefined && { fields }),
  });
}
