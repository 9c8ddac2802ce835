import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') };

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['src/renderer/**'],
          environment: 'node',
        },
      },
      {
        // The renderer's state classes (`.svelte.ts`) use runes: compiled by Svelte for the
        // browser, as the app's build does, so $state and $derived behave as in the window.
        // https://svelte.dev/docs/svelte/testing
        plugins: [svelte()],
        resolve: { alias, conditions: ['browser'] },
        test: { name: 'renderer', include: ['src/renderer/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
