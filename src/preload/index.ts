/**
 * Exposes the contract's domain functions as window.api — nothing else: no ipcRenderer, no
 * generic invoke (docs/security.md#ipc; Electron checklist item 20, "do not expose Electron APIs").
 * https://www.electronjs.org/docs/latest/tutorial/context-isolation
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApi } from '@shared/api';
import type { Envelope } from '@shared/envelope';

contextBridge.exposeInMainWorld(
  'api',
  createApi((channel, request) => ipcRenderer.invoke(channel, request) as Promise<Envelope<unknown>>, {
    subscribe(event, listener) {
      // The IpcRendererEvent stays here: handing it to the page would leak ipcRenderer (checklist item 20).
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, forward);
      return () => ipcRenderer.removeListener(event, forward);
    },
    // File.path is gone since Electron 32; webUtils is the supported way to get a dropped file's path.
    // https://www.electronjs.org/docs/latest/api/web-utils
    pathForFile: (file) => Promise.resolve(webUtils.getPathForFile(file)),
  }),
);
