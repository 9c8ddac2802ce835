/**
 * Test stand-in for native file dialogs (dialog-dependent steps go through a small dialog port so
 * tests can supply paths): each dialog answers what the test set last — cancelled (null) until
 * then — and every question is recorded. The e2e fixtures give it to browser mode's server.
 */
import type { DialogPort, FileFilter } from '../../src/main/dialogs/dialog-port';

export interface DialogRequest {
  kind: 'openCsv' | 'confirmDrop' | 'saveFile';
  path?: string;
  title?: string;
  defaultName?: string;
  filters?: FileFilter[];
}

export interface ScriptedDialogs extends DialogPort {
  /** From now on "Open CSV" answers this path; null = the user cancels. */
  setOpenResult(path: string | null): void;
  /** From now on "Import this dropped file?" answers this (default: declined). */
  setDropAnswer(confirm: boolean): void;
  /** From now on "Save" answers this path; null = the user cancels. */
  setSaveResult(path: string | null): void;
  /** Every dialog the app opened, oldest first. */
  requests(): DialogRequest[];
}

export function createScriptedDialogs(): ScriptedDialogs {
  let openResult: string | null = null;
  let saveResult: string | null = null;
  let dropAnswer = false;
  const asked: DialogRequest[] = [];
  return {
    openCsv: () => {
      asked.push({ kind: 'openCsv' });
      return Promise.resolve(openResult);
    },
    confirmDrop: (path) => {
      asked.push({ kind: 'confirmDrop', path });
      return Promise.resolve(dropAnswer);
    },
    saveFile: (options) => {
      asked.push({ kind: 'saveFile', ...options });
      return Promise.resolve(saveResult);
    },
    setOpenResult: (path) => {
      openResult = path;
    },
    setDropAnswer: (confirm) => {
      dropAnswer = confirm;
    },
    setSaveResult: (path) => {
      saveResult = path;
    },
    requests: () => asked.map((request) => ({ ...request })),
  };
}
