/**
 * The `npm run browser` process (serve-app.ts loads it): browser mode with the browser dialogs —
 * the page's file picker for "open", downloads for "save". Prints the one-time link to open; the
 * link's token is the only way in, so it goes to this terminal and nowhere else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataHome } from '../main/paths';
import { createBrowserDialogs } from './browser-dialogs';
import { DEFAULT_RENDERER_DIR, startBrowserMode } from './server';

if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
  console.error(`No built renderer in ${DEFAULT_RENDERER_DIR}. Run \`npx electron-vite build\` first.`);
  process.exit(1);
}

const port = Number(process.env['PORT'] ?? 0);
const server = await startBrowserMode({
  home: dataHome(),
  dialogs: createBrowserDialogs,
  ...(Number.isInteger(port) && port > 0 && { port }),
  onLinkUsed: (next) => console.log(`Link used. For another window (works once): ${next}`),
});

console.log(`SignUp Desk (browser mode, no Electron) — data folder: ${server.home}`);
console.log(`Open this link in Chromium or Firefox on this machine (it works once):`);
console.log(`  ${server.link()}`);
console.log('Ctrl+C stops it.');

const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
