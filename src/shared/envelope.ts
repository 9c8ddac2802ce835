/**
 * One error envelope across IPC: main wraps every handler's result, preload/harness unwrap it,
 * so the renderer shows Cognito's error names faithfully.
 */
export interface ApiErrorShape {
  /** Cognito's exception name (e.g. NotAuthorizedException) or one of ours (an ErrorName from the contract). */
  name: string;
  /** What went wrong, in plain language. */
  message: string;
  /** What the user can do about it. */
  hint?: string | undefined;
  requestId?: string | undefined;
  /** Field path → message, for requests rejected by validation. */
  fields?: Record<string, string>;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** Thrown in the renderer (and by the CLI's calls through dispatch) when main answers with `{ ok: false }`. */
export class ApiError extends Error implements ApiErrorShape {
  readonly hint?: string;
  readonly requestId?: string;
  readonly fields?: Record<string, string>;
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = shape.name;
    if (shape.hint !== undefined) this.hint = shape.hint;
    if (shape.requestId !== undefined) this.requestId = shape.requestId;
    if (shape.fields !== undefined) this.fields = shape.fields;
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}
