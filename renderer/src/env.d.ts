import type { ParleyApi } from '../../shared/ipc';

declare global {
  interface Window {
    /** Set by the Electron preload, or by bridge.ts in the browser preview. */
    parley?: ParleyApi;
  }
}

export {};
