/**
 * What main may ask of the page in browser mode, where no native dialog exists: let the person pick
 * a file (the page shows its own file picker and uploads the file) and hand the person a file main
 * wrote (the page downloads it). Both go to the page that made the call asking for it — the call's
 * socket is kept in an AsyncLocalStorage for the duration of the call, so a second window never
 * sees the first one's picker. https://nodejs.org/api/async_context.html#class-asynclocalstorage
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Envelope } from '@shared/envelope';
import { AppError } from '../main/errors';
import type { DialogAnswerMessage, DialogMessage, DownloadMessage } from './protocol';
import type { RunFolder } from './run-folder';

/** Given to the caller's dialog factory: what a DialogPort for browser mode is built from. */
export interface PageLink {
  /** The path of the file the person picked in the calling page (uploaded), or null: cancelled. */
  pickFile(accept: string[]): Promise<string | null>;
  /**
   * A private path for a file the current call will write; once the call has succeeded, the page
   * is told to download it. Null outside a call from a page (nobody to hand the file to).
   */
  reserveDownload(name: string): Promise<string | null>;
}

/** The part of a WebSocket the link needs. */
export interface PageSocket {
  send(text: string): void;
}

export interface OfferedDownload {
  path: string;
  name: string;
}

export interface PageLinkHost {
  link: PageLink;
  /** Runs one call from `socket`; downloads it reserved are offered to that page if it succeeded. */
  runCall(socket: PageSocket, call: () => Promise<Envelope<unknown>>): Promise<Envelope<unknown>>;
  /** A page's answer to a dialog; false when it answers a dialog it was not asked, or with a path it did not upload. */
  answer(socket: PageSocket, message: DialogAnswerMessage): boolean;
  /** The page went away: its open dialogs count as cancelled. */
  closed(socket: PageSocket): void;
  /** Hands out an offered download once (its id is the capability); null when unknown or taken. */
  takeDownload(id: string): OfferedDownload | null;
}

interface Call {
  socket: PageSocket;
  reserved: OfferedDownload[];
}

interface OpenDialog {
  socket: PageSocket;
  settle(path: string | null, error?: string): void;
}

export function createPageLink(folder: RunFolder, ownsUpload: (path: string) => boolean): PageLinkHost {
  const calls = new AsyncLocalStorage<Call>();
  const dialogs = new Map<number, OpenDialog>();
  const offered = new Map<string, OfferedDownload>();
  let nextDialog = 1;

  const send = (socket: PageSocket, message: DialogMessage | DownloadMessage): void => {
    try {
      socket.send(JSON.stringify(message));
    } catch {
      // The page is gone; its dialogs are cancelled by closed().
    }
  };

  const link: PageLink = {
    pickFile: (accept) => {
      const call = calls.getStore();
      if (call === undefined) return Promise.resolve(null);
      const id = nextDialog++;
      return new Promise<string | null>((resolve, reject) => {
        const settle = (path: string | null, error?: string): void => {
          if (error === undefined) resolve(path);
          else reject(new AppError('FileNotHandedOver', error, { hint: 'Choose the file again.' }));
        };
        dialogs.set(id, { socket: call.socket, settle });
        send(call.socket, { dialog: { id, kind: 'openFile', accept } });
      });
    },
    reserveDownload: async (name) => {
      const call = calls.getStore();
      if (call === undefined) return null;
      const path = join(await folder.subfolder(), basename(name).replace(/[^\w.-]+/g, '_') || 'download');
      call.reserved.push({ path, name: basename(path) });
      return path;
    },
  };

  const offer = async (call: Call, succeeded: boolean): Promise<void> => {
    for (const download of call.reserved) {
      // A cancelled or failed save leaves no file, or one nobody asked for: it stays in the private
      // folder until stop.
      if (!succeeded || !(await stat(download.path).catch(() => null))?.isFile()) continue;
      const id = randomBytes(18).toString('base64url');
      offered.set(id, download);
      send(call.socket, { download: { id, name: download.name } });
    }
  };

  return {
    link,
    runCall: async (socket, run) => {
      const call: Call = { socket, reserved: [] };
      const envelope = await calls.run(call, run);
      await offer(call, envelope.ok && envelope.value !== null);
      return envelope;
    },
    answer: (socket, { dialogAnswer: { id, path, error } }) => {
      const dialog = dialogs.get(id);
      if (dialog === undefined || dialog.socket !== socket || (path !== null && !ownsUpload(path)))
        return false;
      dialogs.delete(id);
      dialog.settle(path, error);
      return true;
    },
    closed: (socket) => {
      for (const [id, dialog] of dialogs) {
        if (dialog.socket !== socket) continue;
        dialogs.delete(id);
        dialog.settle(null);
      }
    },
    takeDownload: (id) => {
      const download = offered.get(id) ?? null;
      offered.delete(id);
      return download;
    },
  };
}
