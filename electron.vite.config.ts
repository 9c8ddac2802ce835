import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shared = resolve(__dirname, 'src/shared');

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
    plugins: [svelte()],
  },
});
