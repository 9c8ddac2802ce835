/**
 * What the screens show when a call to main fails. Main's errors arrive as ApiError
 * (src/shared/envelope.ts); they are read by shape rather than `instanceof`, because the e2e
 * harness builds window.api from its own copy of the envelope module.
 */
export interface Problem {
  name: string;
  message: string;
  hint?: string;
  requestId?: string;
  /** Field path → message, shown next to the field instead of in the banner. */
  fields?: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

export function toProblem(error: unknown): Problem {
  if (isRecord(error) && typeof error.message === 'string') {
    const problem: Problem = {
      name: typeof error.name === 'string' ? error.name : 'Error',
      message: error.message,
    };
    if (typeof error.hint === 'string') problem.hint = error.hint;
    if (typeof error.requestId === 'string') problem.requestId = error.requestId;
    const fields = stringRecord(error.fields);
    if (fields !== undefined && Object.keys(fields).length > 0) problem.fields = fields;
    return problem;
  }
  return { name: 'Error', message: String(error) };
}
