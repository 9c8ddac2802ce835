import { contract, type Channel, type ParsedRequestOf, type ResponseOf } from '@shared/contract';
import type { Envelope } from '@shared/envelope';
import { AppError, toErrorShape } from '../errors';

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

function isChannel(value: string): value is Channel {
  return Object.hasOwn(contract, value);
}

/**
 * The single entry point for every request from a renderer, whatever the transport (Electron IPC
 * or the e2e harness): the argument is `unknown` until the contract's schema has parsed it
 * before anything else sees it, and every outcome comes back in the envelope.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: toErrorShape(new AppError('InvalidRequest', `Unknown channel "${channel}".`)),
    };
  }
  const parsed = contract[channel].request.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '(request)'] ??= issue.message;
    const summary = Object.entries(fields)
      .map(([path, message]) => `${path}: ${message}`)
      .join('; ');
    return {
      ok: false,
      error: toErrorShape(
        new AppError('InvalidRequest', `The request to ${channel} is malformed — ${summary}`, { fields }),
      ),
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}
