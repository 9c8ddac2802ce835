/**
 * Bundles page/client.ts (and the shared createApi it imports) into one classic IIFE script, in memory,
 * with Vite's library mode — Vite is already the project's bundler, so no extra tool is needed.
 * Built once per process; a few hundred milliseconds.
 */
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

let bundled: Promise<string> | undefined;

async function bundle(): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    resolve: { alias: { '@shared': fileURLToPath(new URL('../../src/shared', import.meta.url)) } },
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: {
        entry: fileURLToPath(new URL('./page/client.ts', import.meta.url)),
        formats: ['iife'],
        name: 'signupDeskBrowserModeClient',
        fileName: () => 'browser-mode-client.js',
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  for (const output of outputs) {
    for (const chunk of output.output ?? []) {
      if (chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error('Bundling the browser-mode client produced no script.');
}

/** The client script, bundled on first call. */
export function clientScript(): Promise<string> {
  bundled ??= bundle().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}
