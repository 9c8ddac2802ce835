/**
 * Native file dialogs behind a port ("dialog-dependent steps go through a small dialog
 * port so tests can supply paths"). Electron's implementation is in src/main/electron/dialogs.ts;
 * the e2e harness supplies paths it chose.
 */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DialogPort {
  /** The CSV file the user picked, or null when they cancelled. */
  openCsv(): Promise<string | null>;
  /**
   * A path the renderer says the user dropped: may main read it? Electron asks the user in a
   * native box; browser mode answers for its own uploads only (docs/security.md#files).
   */
  confirmDrop(path: string): Promise<boolean>;
  /** Where the user wants a file saved, or null when they cancelled. */
  saveFile(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
}

/** For the CLI and tests that never show a dialog: every dialog is "cancelled". */
export const noDialogs: DialogPort = {
  openCsv: () => Promise.resolve(null),
  confirmDrop: () => Promise.resolve(false),
  saveFile: () => Promise.resolve(null),
};
