/**
 * Checks that a secret or password ended up nowhere it should not: in the files of the app's data
 * folder, or in the renderer's DOM and web storage (docs/security.md#secrets).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Every file under `dir` whose bytes contain `needle` (as UTF-8 or UTF-16LE). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const hits: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => null);
    if (bytes !== null && patterns.some((p) => bytes.includes(p))) hits.push(path);
  }
  return hits;
}

/** How many files there are under `dir`, so a leak check is known to have looked at something. */
export async function fileCount(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

/** Where in the page `needle` can be found: the serialised DOM, any field's value, local/session storage. */
export async function pagePlacesContaining(page: Page, needle: string): Promise<string[]> {
  return page.evaluate((secret) => {
    // Runs in the page; the spec's tsconfig has no DOM types, so the few used are described here.
    interface Field {
      value: string;
      id: string;
      dataset: Record<string, string | undefined>;
    }
    interface Store {
      length: number;
      key(index: number): string | null;
      getItem(key: string): string | null;
    }
    const page = globalThis as unknown as {
      document: {
        documentElement: { outerHTML: string };
        querySelectorAll(selector: string): Iterable<Field>;
      };
      localStorage: Store;
      sessionStorage: Store;
    };
    const places: string[] = [];
    if (page.document.documentElement.outerHTML.includes(secret)) places.push('DOM');
    for (const field of page.document.querySelectorAll('input, textarea'))
      if (field.value.includes(secret)) places.push(`value of ${field.dataset['testid'] ?? field.id}`);
    for (const [name, storage] of [
      ['localStorage', page.localStorage],
      ['sessionStorage', page.sessionStorage],
    ] as const)
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i) ?? '';
        if (key.includes(secret) || (storage.getItem(key) ?? '').includes(secret))
          places.push(`${name}[${key}]`);
      }
    return places;
  }, needle);
}
