/**
 * The harness's default services: the app's own createServices() (src/main/services.ts), exactly
 * what src/main/index.ts registers with ipcMain — only the transport differs.
 */
import { createServices } from '../../src/main/services';
import type { ServicesFactory } from './server';

export const appServices: ServicesFactory = ({ home, secrets }) =>
  createServices({
    home,
    secrets,
    // The sandbox's cognito-local runs with this Node (in the app: Electron's, as plain Node).
    nodePath: process.execPath,
  });
