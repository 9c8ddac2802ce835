/**
 * Copies of a job's results report (the app's "Save report", the CLI's --report): the report may
 * hold generated passwords, so every copy is readable by the user only.
 */
import { chmod, copyFile } from 'node:fs/promises';

export async function copyReport(source: string, target: string): Promise<void> {
  await copyFile(source, target);
  await chmod(target, 0o600);
}
