/**
 * Exposes the contract's domain functions as window.api — nothing else: no ipcRenderer, no
 * generic invoke (DESIGN.md practice 2; Electron checklist item 20, "do not expose Electron APIs").
 * https://www.electronjs.org/docs/latest/tutorial/context-isolation
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '@shared/api';
import type { Envelope } from '@shared/envelope';

contextBridge.exposeInMainWorld(
  'api',
  createApi((channel, request) => ipcRenderer.invoke(channel, request) as Promise<Envelope<unknown>>),
);
