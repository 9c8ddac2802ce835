import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder: profiles, the SQLite store, reports. SIGNUP_DESK_HOME overrides it so the CLI
 * and the tests can point at their own; the app passes Electron's userData folder as the fallback.
 */
export function dataHome(fallback?: string): string {
  const override = process.env['SIGNUP_DESK_HOME'];
  if (override !== undefined && override !== '') return override;
  if (fallback !== undefined) return fallback;
  // Same folder Electron's app.getPath('userData') gives for productName "SignUp Desk" on Linux,
  // so the CLI and the app share profiles and the log without configuration.
  const config = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
  return join(config, 'SignUp Desk');
}
