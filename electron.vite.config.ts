import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { CSP_META, devServerCsp } from './src/main/electron/csp';

const shared = resolve(__dirname, 'src/shared');

/**
 * `npm run dev` only: vite's dev client injects CSS as <style> elements, which the renderer's CSP
 * (no inline styles) refuses; the dev server's page gets style-src 'unsafe-inline'. The build keeps
 * index.html's policy as written.
 */
const devServerStyles: Plugin = {
  name: 'signup-desk:dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(CSP_META, devServerCsp(CSP_META)),
};

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared } },
    build: {
      // keytar is a native N-API addon: it must stay a runtime require, never bundled.
      rollupOptions: { external: ['keytar'] },
    },
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      // A sandboxed preload cannot load ES modules or require anything but a few Electron
      // modules, so it is emitted as one self-contained CommonJS file.
      // https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true } },
    },
  },
  renderer: {
    resolve: { alias: { '@shared': shared } },
    plugins: [svelte(), devServerStyles],
  },
});
