/**
 * The options of `signup-desk import` and what they mean: the delimiter, the --map overrides, the
 * rows' password source (read from an environment variable or stdin, never from a flag) and the
 * CSV file's path.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError, toErrorShape } from '../errors';
import { parseMapOption, type MappingOverrides } from '../import/column-mapping';
import type { CsvDelimiter } from '../import/csv-source';
import { DEFAULT_PASSWORD_POLICY } from '../import/password-generator';
import type { PasswordSource } from '../import/row-builder';
import type { CliIo } from './command';
import { CONNECTION_OPTIONS, envValue, type ConnectionFlagValues } from './connection-flags';
import { readSecretFromStdin } from './read-secret';
import { UsageError } from './usage-error';

export const OPTIONS = {
  ...CONNECTION_OPTIONS,
  rate: { type: 'string' },
  concurrency: { type: 'string' },
  delimiter: { type: 'string' },
  map: { type: 'string', multiple: true },
  'password-env': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'generate-passwords': { type: 'boolean' },
  'no-password': { type: 'boolean' },
  'password-min-length': { type: 'string' },
  'dry-run': { type: 'boolean' },
  report: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type Values = ConnectionFlagValues & {
  rate?: string | undefined;
  concurrency?: string | undefined;
  delimiter?: string | undefined;
  map?: string[] | undefined;
  'password-env'?: string | undefined;
  'password-stdin'?: boolean | undefined;
  'generate-passwords'?: boolean | undefined;
  'no-password'?: boolean | undefined;
  'password-min-length'?: string | undefined;
  'dry-run'?: boolean | undefined;
  report?: string | undefined;
  resume?: string | undefined;
  json?: boolean | undefined;
};

export function parseDelimiter(raw: string | undefined): CsvDelimiter | undefined {
  if (raw === undefined) return undefined;
  if (raw === ',' || raw === ';') return raw;
  if (raw === 'tab' || raw === '\t' || raw === '\\t') return '\t';
  throw new UsageError('--delimiter takes , or ; or tab.');
}

export function parseMappings(raws: readonly string[] | undefined): MappingOverrides | undefined {
  if (raws === undefined || raws.length === 0) return undefined;
  const overrides: Record<string, string> = {};
  for (const raw of raws) {
    try {
      const [column, target] = parseMapOption(raw);
      overrides[column] = target;
    } catch (error) {
      throw new UsageError(`--map ${toErrorShape(error).message}`);
    }
  }
  return overrides;
}

function passwordFlagsGiven(values: Values): string[] {
  return [
    values['password-env'] !== undefined && '--password-env',
    values['password-stdin'] === true && '--password-stdin',
    values['generate-passwords'] === true && '--generate-passwords',
    values['no-password'] === true && '--no-password',
  ].filter((flag): flag is string => flag !== false);
}

/** The rows' password source from the flags; a shared one is read from the env var or stdin now. */
export async function passwordSourceFrom(values: Values, io: CliIo): Promise<PasswordSource> {
  const given = passwordFlagsGiven(values);
  if (given.length > 1) throw new UsageError(`Use only one of ${given.join(', ')}.`);
  if (values['password-min-length'] !== undefined && values['generate-passwords'] !== true)
    throw new UsageError('--password-min-length goes with --generate-passwords.');
  if (values['generate-passwords'] === true) {
    const raw = values['password-min-length'];
    if (raw !== undefined && (!/^\d+$/.test(raw) || Number(raw) < 6 || Number(raw) > 99))
      throw new UsageError('--password-min-length takes a whole number from 6 to 99 (Cognito’s range).');
    // The default policy requires every character class: a password meeting it meets any policy
    // of the same minimum length.
    return {
      kind: 'generated',
      policy: { ...DEFAULT_PASSWORD_POLICY, ...(raw !== undefined && { minLength: Number(raw) }) },
    };
  }
  // Passwordless users, for pools with passwordless sign-in (docs/cognito.md#password).
  if (values['no-password'] === true) return { kind: 'none' };
  const variable = values['password-env'];
  if (variable !== undefined) return { kind: 'shared', password: envValue(io, 'password-env', variable) };
  if (values['password-stdin'] === true)
    return { kind: 'shared', password: await readSecretFromStdin(io.stdin, 'password') };
  return { kind: 'column' };
}

export async function requireFile(raw: string): Promise<string> {
  const path = resolve(raw);
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile())
    throw new AppError('FileNotFound', `There is no file at ${path}.`, {
      hint: 'Check the path of the CSV file.',
    });
  return path;
}
