import type { ErrorName } from '@shared/contract';
import { ApiError, type ApiErrorShape } from '@shared/envelope';

/**
 * An error main means to show the user: a name the UI can switch on, a message, and a hint. The
 * name is one of ours (ErrorName); an error Cognito raised keeps its own name as data instead.
 */
export class AppError extends Error {
  declare readonly name: ErrorName;
  readonly hint?: string;
  readonly fields?: Record<string, string>;
  constructor(
    name: ErrorName,
    message: string,
    options: { hint?: string; fields?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.fields !== undefined) this.fields = options.fields;
  }
}

/**
 * Turns anything thrown in main into the envelope's error. AWS SDK errors keep their exception
 * name and request id; unknown errors keep their message (never a secret: nothing of ours puts
 * one in an error) so the user sees what happened instead of "something went wrong". An
 * ApiError (an envelope a caller inside main got back from dispatch) passes on unchanged.
 */
export function toErrorShape(error: unknown): ApiErrorShape {
  if (error instanceof AppError || error instanceof ApiError) {
    return {
      name: error.name,
      message: error.message,
      ...(error.hint !== undefined && { hint: error.hint }),
      ...(error instanceof ApiError && error.requestId !== undefined && { requestId: error.requestId }),
      ...(error.fields !== undefined && { fields: error.fields }),
    };
  }
  if (error instanceof Error) {
    const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId;
    return {
      name: error.name || 'Error',
      message: error.message,
      ...(requestId !== undefined && { requestId }),
    };
  }
  return { name: 'Error', message: String(error) };
}
