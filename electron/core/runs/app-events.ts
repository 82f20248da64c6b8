import type { AppEvent } from '../../../shared/index.js';

type Listener = (event: AppEvent) => void;

/** App-wide notifications (a session renamed or titled in the background) for every connected window. */
export class AppEvents {
  private readonly listeners = new Set<Listener>();

  emit(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber is its transport's problem, not the emitter's.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
