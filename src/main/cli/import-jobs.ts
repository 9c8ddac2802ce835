/**
 * The CLI's way to the import engine: the SAME engine (and job store) the app's IPC handlers use
 * (services.imports.engine, built by src/main/import/import-service.ts), so a job started in the
 * app can be listed and resumed here and the other way round.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { ImportEngine } from '../import/import-engine';
import type { CliServices } from './command';

/**
 * createServices (src/main/services.ts) returns `imports`; CliServices does not declare it yet
 * (src/main/cli/command.ts), so it is checked here rather than cast.
 */
export function importEngineOf(services: CliServices): ImportEngine {
  const imports: unknown = (services as CliServices & { imports?: unknown }).imports;
  const engine =
    typeof imports === 'object' && imports !== null ? (imports as { engine?: unknown }).engine : undefined;
  if (typeof engine !== 'object' || engine === null || !('wait' in engine) || !('resume' in engine))
    throw new AppError('ImportUnavailable', 'These services have no import engine.');
  return engine as ImportEngine;
}

/**
 * `<home>/reports`, created if missing: the import service (and so a profile job started through
 * `import:start`) writes its reports there without creating the folder.
 */
export async function ensureReportsFolder(home: string): Promise<string> {
  const folder = join(home, 'reports');
  // Reports may hold generated passwords: the folder is the user's alone.
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return folder;
}

/** `<home>/reports/<time>-<random>.csv`, where the app's import service puts its reports too. */
export async function defaultReportPath(home: string): Promise<string> {
  const folder = await ensureReportsFolder(home);
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  return join(folder, `${stamp}.csv`);
}
