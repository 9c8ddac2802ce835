import { basename, dirname } from 'node:path';
import { BrowserWindow, dialog } from 'electron';
import type { DialogPort } from '../dialogs/dialog-port';

/** Native dialogs, modal to the focused window. https://www.electronjs.org/docs/latest/api/dialog */
export const electronDialogs: DialogPort = {
  async openCsv() {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options: Electron.OpenDialogOptions = {
      title: 'Choose a CSV file to import',
      properties: ['openFile'],
      filters: [
        { name: 'CSV files', extensions: ['csv', 'txt', 'tsv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result =
      window === undefined
        ? await dialog.showOpenDialog(options)
        : await dialog.showOpenDialog(window, options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async confirmDrop(path) {
    // Shows the full path: the box is the user's check that this is the file they just dropped.
    // https://www.electronjs.org/docs/latest/api/dialog#dialogshowmessageboxwindow-options
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options: Electron.MessageBoxOptions = {
      type: 'question',
      title: 'Import this file?',
      message: `Import ${basename(path)}?`,
      detail: `From ${dirname(path)}`,
      buttons: ['Import', 'Cancel'],
      defaultId: 0,
      cancelId: 1,
    };
    const result =
      window === undefined
        ? await dialog.showMessageBox(options)
        : await dialog.showMessageBox(window, options);
    return result.response === 0;
  },
  async saveFile({ title, defaultName, filters }) {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options: Electron.SaveDialogOptions = { title, defaultPath: defaultName, filters };
    const result =
      window === undefined
        ? await dialog.showSaveDialog(options)
        : await dialog.showSaveDialog(window, options);
    return result.canceled || result.filePath === undefined || result.filePath === ''
      ? null
      : result.filePath;
  },
};
