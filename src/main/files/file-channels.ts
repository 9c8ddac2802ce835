/**
 * The channels that turn a file the user chose into a handle (file-handles.ts): the open dialog,
 * and a dropped file. Either way main checks it is a regular file (regular-file.ts) before it
 * hands out a handle, so the renderer learns nothing about a pipe or a device but that it was refused.
 */
import type { ParsedRequestOf, ResponseOf } from '@shared/contract';
import type { DialogPort } from '../dialogs/dialog-port';
import { AppError } from '../errors';
import type { FileHandles } from './file-handles';
import { regularFileSize } from './regular-file';

type FileChannel = 'files:openCsv' | 'files:fromDrop';

type FileHandlers = {
  [C in FileChannel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

export function createFileChannels(dialogs: DialogPort, files: FileHandles): FileHandlers {
  return {
    'files:openCsv': async () => {
      const path = await dialogs.openCsv();
      if (path === null) return null;
      return files.register(path, await regularFileSize(path));
    },
    'files:fromDrop': async ({ path }) => {
      // The path comes from the renderer process: the preload resolved it, but main cannot tell
      // the preload's messages from the page's (they share one sender), so the user confirms it
      // first — a forged path shows up as a question nobody asked for (docs/security.md#files).
      if (!(await dialogs.confirmDrop(path)))
        throw new AppError('DropDeclined', 'The dropped file was not imported.', {
          hint: 'Drop it again, or choose it with "Choose file".',
        });
      return files.register(path, await regularFileSize(path));
    },
  };
}
