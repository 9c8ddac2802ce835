import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataHome } from '../../src/main/paths';
import { DEFAULT_RENDERER_DIR, startHarness } from './server';

if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
  console.error(`No built renderer in ${DEFAULT_RENDERER_DIR}. Run \`npx electron-vite build\` first.`);
  process.exit(1);
}

const port = Number(process.env['PORT'] ?? 0);
const harness = await startHarness({
  home: dataHome(),
  injectClientScript: true,
  ...(Number.isInteger(port) && port > 0 && { port }),
});

console.log(`SignUp Desk (browser mode, no Electron) — data folder: ${harness.home}`);
console.log(`Open ${harness.url} in Chromium or Firefox on this machine. Ctrl+C stops it.`);

const stop = (): void => {
  void harness.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
