/**
 * The DialogPort of `npm run browser` (src/main/dialogs/dialog-port.ts): "open a CSV" becomes the
 * page's own file picker (the file is uploaded; main gets its private copy's path) and "save"
 * becomes a download the page starts once main has written the file. The browser's download
 * settings decide where it lands — a page cannot choose a folder, so the title and filters of the
 * save dialog have nothing to apply to.
 */
import type { DialogPort } from '../main/dialogs/dialog-port';
import type { PageLink } from './page-link';

/** What the native "open CSV" dialog offers (src/main/electron/dialogs.ts), as an `accept` list. */
const CSV_TYPES = ['.csv', '.txt', '.tsv', 'text/csv', 'text/plain', 'text/tab-separated-values'];

export function createBrowserDialogs(page: PageLink): DialogPort {
  return {
    openCsv: () => page.pickFile(CSV_TYPES),
    // The server answers for its own uploads (server.ts); no other path is a page's to name.
    confirmDrop: () => Promise.resolve(false),
    saveFile: ({ defaultName }) => page.reserveDownload(defaultName),
  };
}
