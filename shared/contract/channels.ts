/**
 * IPC channel names of the Electron transport; one place so main and preload cannot drift apart.
 * Kept free of imports so the sandboxed preload bundle stays tiny.
 */
export const ipcChannels = {
  invoke: 'coda:invoke',
  subscribe: 'coda:subscribe',
  unsubscribe: 'coda:unsubscribe',
  event: 'coda:event',
  subscriptionError: 'coda:subscription-error',
} as const;
