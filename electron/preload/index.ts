import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels } from '../../shared/contract/channels.js';
import type { AnySubscriptionEvent, CodaBridge, CodaErrorShape, Subscription } from '../../shared/index.js';

// The one surface the renderer gets: invoke and subscribe. Main validates every payload and checks the sender.
type Listener = { onEvent: (event: AnySubscriptionEvent) => void; onError: ((error: CodaErrorShape) => void) | undefined };
const listeners = new Map<number, Listener>();
let nextSubscriptionId = 1;

ipcRenderer.on(ipcChannels.event, (_event, id: number, payload: AnySubscriptionEvent) => listeners.get(id)?.onEvent(payload));
ipcRenderer.on(ipcChannels.subscriptionError, (_event, id: number, error: CodaErrorShape) => listeners.get(id)?.onError?.(error));

const bridge: CodaBridge = {
  invoke: (method, input) => ipcRenderer.invoke(ipcChannels.invoke, method, input),
  subscribe(subscription: Subscription, onEvent, onError) {
    const id = nextSubscriptionId++;
    listeners.set(id, { onEvent, onError });
    ipcRenderer.send(ipcChannels.subscribe, id, subscription);
    return () => {
      listeners.delete(id);
      ipcRenderer.send(ipcChannels.unsubscribe, id);
    };
  },
};

contextBridge.exposeInMainWorld('coda', bridge);
