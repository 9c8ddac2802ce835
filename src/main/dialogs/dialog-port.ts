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
  /** Where the user wants a file saved, or null when they cancelled. */
  saveFile(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
}

/** For the CLI and tests that never show a dialog: every dialog is "cancelled". */
export const noDialogs: DialogPort = {
  openCsv: () => Promise.resolve(null),
  saveFile: () => Promise.resolve(null),
};
