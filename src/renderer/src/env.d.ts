/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Api } from '@shared/api';

declare global {
  interface Window {
    /** The only way to main: domain functions exposed by preload (or the e2e harness). */
    readonly api: Api;
  }
}

export {};
