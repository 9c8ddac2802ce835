/**
 * The private temp folder of one browser-mode server: files the page uploads (a browser File has no
 * path main could read) and files main saves for the page to download. Uploaded CSVs and results
 * reports hold personal data and sometimes passwords, and the system temp folder is shared by every
 * local user, so: mkdtemp (an unpredictable name, created 0700: nobody else can list or enter it),
 * every folder below 0700, every file 0600; removed on stop, and whatever an earlier run of this
 * user left behind (killed before its stop) is removed at start.
 *
 * A run's folder name carries its process id, so a start removes only folders whose process is gone:
 * servers running side by side (Playwright workers, a person's second instance) keep theirs.
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const PREFIX = 'signup-desk-browser-';
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export interface RunFolder {
  path: string;
  /** A new, empty, private subfolder (one per upload or download, so file names never collide). */
  subfolder(): Promise<string>;
  remove(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive, and not ours to judge.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the run folders of this user's earlier runs whose process has exited. */
export async function removeStaleRunFolders(root: string): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    const pid = Number(match?.[1]);
    if (match === null || pid === process.pid || processAlive(pid)) continue;
    const path = join(root, name);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

export async function createRunFolder(root: string): Promise<RunFolder> {
  await removeStaleRunFolders(root);
  const path = await mkdtemp(join(root, `${PREFIX}${process.pid}-`));
  let count = 0;
  return {
    path,
    subfolder: async () => {
      count += 1;
      const folder = join(path, String(count));
      // mkdir's mode is masked by the umask, which only ever removes bits: 0700 stays 0700 or less.
      await mkdir(folder, { mode: PRIVATE_DIR_MODE });
      return folder;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
