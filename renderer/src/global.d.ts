import type { CodaBridge } from '../../shared/index.js';

declare global {
  interface Window {
    /** Present in the Electron app (exposed by the preload); absent in a browser, where serve mode's socket is used. */
    coda?: CodaBridge;
  }
}
