/**
 * Calls a domain handler through the same contract parsing the app's IPC uses (dispatch), so a
 * profile added from the CLI is checked exactly like one saved from the form.
 */
import type { Channel, RequestOf, ResponseOf } from '@shared/contract';
import { dispatch } from '../ipc/dispatch';
import { AppError } from '../errors';
import type { CliServices } from './command';

export async function call<C extends Channel>(
  services: CliServices,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const envelope = await dispatch(services.handlers, channel, request);
  if (envelope.ok) return envelope.value as ResponseOf<C>;
  const { name, message, hint, fields } = envelope.error;
  throw new AppError(name, message, {
    ...(hint !== undefined && { hint }),
    ...(fields !== undefined && { fields }),
  });
}
