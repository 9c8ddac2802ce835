/**
 * The import plan: what the dry run and a start both need to know about a file before reading
 * its rows — encoding, delimiter, headers, the mapping and a checked password source — prepared
 * once, from the file's first lines (the full passes come after: see dry-run.ts and the engine).
 */
import {
  assertMappingUsable,
  suggestMapping,
  type ColumnMapping,
  type MappingOverrides,
} from './column-mapping';
import { inspectCsv, type CsvDelimiter, type CsvEncoding } from './csv-source';
import { checkPasswordSource } from './password-source';
import type { PasswordSource } from './row-builder';

export interface ImportPlanOptions {
  passwordSource: PasswordSource;
  delimiter?: CsvDelimiter | undefined;
  overrides?: MappingOverrides | undefined;
}

export interface ImportPlan {
  path: string;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  overrides: MappingOverrides;
  mapping: ColumnMapping;
  passwordSource: PasswordSource;
}

/** Throws when the file cannot be read as CSV, the mapping is unusable or the passwords are. */
export async function prepareImportPlan(path: string, options: ImportPlanOptions): Promise<ImportPlan> {
  const inspection = await inspectCsv(path, {
    ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
  });
  const overrides = options.overrides ?? {};
  const mapping = suggestMapping(inspection.headers, overrides, {
    passwordColumnRequired: options.passwordSource.kind === 'column',
  });
  assertMappingUsable(mapping);
  checkPasswordSource(options.passwordSource);
  return {
    path,
    encoding: inspection.encoding,
    delimiter: inspection.delimiter,
    headers: inspection.headers,
    overrides,
    mapping,
    passwordSource: options.passwordSource,
  };
}
