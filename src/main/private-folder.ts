/**
 * The data folder holds usernames, email and phone destinations, error messages and reports that
 * may carry generated passwords: on a shared machine other local users must not read any of it.
 * Folders are 0700 and files 0600, the sandbox's included — for files created by libraries
 * (SQLite's -wal and -shm, cognito-local's JSON) only the process umask can promise that, so it
 * is set for the whole process; folders and files made by earlier versions are tightened here.
 * (Windows ignores these modes; its profile folders are private to the user already.)
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** New files 0600, new folders 0700, in this process and the child processes it starts. */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

/** Creates `home` if needed and tightens it, its files and its folders one level down. */
export function securePrivateFolder(home: string): void {
  restrictNewFiles();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  chmodSync(home, 0o700);
  for (const name of readdirSync(home)) {
    const path = join(home, name);
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.uid !== process.getuid?.()) continue;
    if (stat.isDirectory()) chmodSync(path, 0o700);
    else if (stat.isFile()) chmodSync(path, 0o600);
  }
}
