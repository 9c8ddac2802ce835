/**
 * Reads the fuses back from a packaged app and checks each one electron-builder.config.ts sets.
 * Usage: node --import tsx scripts/check-fuses.ts PATH   (PATH: the executable, or the .app on macOS)
 * Exits 1 on any difference. https://www.electronjs.org/docs/latest/tutorial/fuses
 */
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants';
import config from '../electron-builder.config';

const KEYS: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

const app = process.argv[2];
if (app === undefined) {
  console.error('usage: check-fuses.ts PATH-TO-PACKAGED-APP');
  process.exit(2);
}
const wire = (await getCurrentFuseWire(app)) as unknown as Record<number, number>;
let failed = false;
for (const [key, wanted] of Object.entries(config.electronFuses ?? {})) {
  const index = KEYS[key];
  if (index === undefined || typeof wanted !== 'boolean') continue;
  const actual = wire[index];
  const ok = actual === (wanted ? FuseState.ENABLE : FuseState.DISABLE);
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${key}: wanted ${wanted ? 'on' : 'off'}, binary has ${FuseState[actual ?? -1] ?? actual}`,
  );
}
process.exit(failed ? 1 : 0);
