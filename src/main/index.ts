/**
 * Electron entry: lifecycle, window, IPC registration — nothing else. The domain lives in
 * services.ts and its folders, shared with the CLI and the tests.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { toErrorShape } from './errors';
import { dataHome } from './paths';
import { createServices, type Services } from './services';
import { createKeytarSecretStore } from './keychain/secret-store';
import { electronDialogs } from './electron/dialogs';
import { pushEvent, registerIpc } from './electron/ipc';
import { createMainWindow } from './electron/window';
import { denyPermissions, hardenWebContents } from './electron/security';
import { handleAppProtocol, registerAppScheme } from './electron/protocol';
import { utilityProcessStarter } from './electron/utility-process-starter';

// One instance: two would race on the same profiles file and import jobs.
if (!app.requestSingleInstanceLock()) app.quit();

// app:// serves the renderer (no file://); the scheme must be registered before ready.
registerAppScheme();
hardenWebContents();

void app.whenReady().then(() => {
  denyPermissions();
  handleAppProtocol();
  let services: Services;
  try {
    services = createServices({
      home: dataHome(app.getPath('userData')),
      secrets: createKeytarSecretStore(),
      // The local sandbox runs cognito-local in a utility process (the RunAsNode fuse is off).
      startProcess: utilityProcessStarter,
      dialogs: electronDialogs,
      push: (event, payload) => {
        for (const window of BrowserWindow.getAllWindows()) pushEvent(window.webContents, event, payload);
      },
    });
  } catch (error) {
    // A damaged, read-only or full database says which file and what to do (store/database-errors.ts):
    // tell the user before quitting instead of leaving a window that never opens.
    const { message, hint } = toErrorShape(error);
    dialog.showErrorBox(
      'SignUp Desk cannot open its data',
      hint === undefined ? message : `${message}\n\n${hint}`,
    );
    app.quit();
    return;
  }
  registerIpc(services.handlers);
  createMainWindow();

  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  // Pause running imports before quitting so in-flight rows are recorded; resume is offered next start.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void services.close().finally(() => app.quit());
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
