/**
 * Browser mode's default services: the app's own createServices() (src/main/services.ts), exactly
 * what src/main/index.ts registers with ipcMain — only the transport (pushes included) and the
 * file dialogs differ.
 */
import { createServices } from '../main/services';
import type { ServicesFactory } from './server';

export const appServices: ServicesFactory = ({ home, secrets, dialogs, push }) =>
  createServices({
    home,
    secrets,
    dialogs,
    push,
    // The sandbox's cognito-local runs with this Node (in the app: Electron's, as plain Node).
    nodePath: process.execPath,
  });
