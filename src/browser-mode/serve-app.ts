/**
 * `npm run browser`: the real app in a browser, for a machine with no Electron binary. Serves the
 * built renderer (run `npx electron-vite build` first) and runs the real main-process services —
 * the real keychain and the data folder from dataHome() — behind browser mode's loopback WebSocket.
 *
 * This file only registers tsx with tsconfig.node.json (for the `@shared/*` alias, which the
 * package script's plain `--import tsx` does not know) and loads serve-app-main.ts.
 * https://tsx.is/dev-api/register-esm
 */
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.node.json', import.meta.url)) });
await import('./serve-app-main');
