/**
 * How results look on stdout/stderr: one JSON object (or JSON line) for scripts, short readable
 * lines for people. Nothing here ever receives a password or a client secret.
 */
import type { Writable } from 'node:stream';
import type { ApiErrorShape } from '@shared/envelope';
import type {
  AttemptError,
  CodeDelivery,
  LogEntry,
  Profile,
  ProfilesState,
  SignUpResult,
} from '@shared/contract';
import { inert } from './terminal-text';

/** Lines for a person: data in them cannot drive the terminal (see terminal-text.ts). */
export function writeLines(stream: Writable, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(inert(`${lines.join('\n')}\n`));
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

/** Copies the keys whose value is defined, so absent fields are omitted rather than null. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The documented `signup --json` object (README "Command line"). */
export interface SignUpJson {
  outcome: SignUpResult['outcome'];
  userSub?: string;
  userConfirmed?: boolean;
  codeDeliveryDetails?: CodeDelivery;
  error?: AttemptError;
  fieldErrors?: Record<string, string>;
  /** Cognito answered, but the attempt could not be logged (the outcome still stands). */
  warning?: string;
}

export function signUpJson(result: SignUpResult): SignUpJson {
  const delivery = result.codeDeliveryDetails;
  const error = result.error;
  return defined({
    outcome: result.outcome,
    userSub: result.userSub,
    userConfirmed: result.userConfirmed,
    codeDeliveryDetails:
      delivery === undefined
        ? undefined
        : defined({
            destination: delivery.destination,
            deliveryMedium: delivery.deliveryMedium,
            attributeName: delivery.attributeName,
          }),
    error:
      error === undefined
        ? undefined
        : {
            name: error.name,
            message: error.message,
            ...defined({ requestId: error.requestId, hint: error.hint }),
          },
    fieldErrors: result.outcome === 'invalid' ? result.fieldErrors : undefined,
    warning: result.warning,
  }) as SignUpJson;
}

export function errorLines(error: Pick<ApiErrorShape, 'name' | 'message' | 'hint' | 'requestId'>): string[] {
  const lines = [`${error.name}: ${error.message}`];
  if (error.requestId !== undefined) lines.push(`Request id: ${error.requestId}`);
  if (error.hint !== undefined) lines.push(`Hint: ${error.hint}`);
  return lines;
}

export function signUpLines(result: SignUpResult, username: string): string[] {
  switch (result.outcome) {
    case 'created': {
      const lines = [`Created "${username}" (sub ${result.userSub ?? 'unknown'}).`];
      lines.push(
        result.userConfirmed === true ? 'Confirmed: yes.' : 'Confirmed: no — the user must confirm.',
      );
      const delivery = result.codeDeliveryDetails;
      if (delivery !== undefined) {
        const via = [delivery.deliveryMedium, delivery.destination].filter(Boolean).join(' to ');
        lines.push(
          `Confirmation code sent${via ? ` by ${via}` : ''}${delivery.attributeName ? ` (${delivery.attributeName})` : ''}.`,
        );
      }
      return lines;
    }
    case 'invalid':
      return [
        `Not sent: the input breaks Cognito's rules.`,
        ...Object.entries(result.fieldErrors ?? {}).map(([field, message]) => `  ${field}: ${message}`),
        ...(result.error === undefined ? [] : errorLines(result.error)),
      ];
    case 'exists':
      return [
        `"${username}" already exists.`,
        ...(result.error === undefined ? [] : errorLines(result.error)),
      ];
    case 'rejected':
      return [
        `Cognito rejected "${username}".`,
        ...(result.error === undefined ? [] : errorLines(result.error)),
      ];
    case 'error':
      return [
        `Could not sign up "${username}".`,
        ...(result.error === undefined ? [] : errorLines(result.error)),
      ];
  }
}

/** Left-aligned columns, for lists meant for people. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function profileLines(state: ProfilesState): string[] {
  if (state.profiles.length === 0) return ['No profiles yet. Add one with `signup-desk profiles add`.'];
  return table([
    ['', 'NAME', 'REGION', 'USER POOL', 'CLIENT ID', 'SECRET', 'ENDPOINT'],
    ...state.profiles.map((p: Profile) => [
      p.id === state.activeId ? '*' : '',
      p.name,
      p.region,
      p.userPoolId,
      p.clientId,
      p.hasSecret ? 'keychain' : 'none',
      p.endpoint ?? '',
    ]),
  ]);
}

export function logLines(entries: readonly LogEntry[]): string[] {
  if (entries.length === 0) return ['No attempts logged.'];
  return table([
    ['ID', 'TIME', 'SOURCE', 'OUTCOME', 'USERNAME', 'PROFILE / CLIENT', 'DETAIL'],
    ...entries.map((e) => [
      String(e.id),
      e.time,
      e.source,
      e.outcome,
      e.username,
      e.profileName ?? e.clientId,
      e.errorName !== undefined ? `${e.errorName}: ${e.errorMessage ?? ''}` : (e.userSub ?? ''),
    ]),
  ]);
}
