import type { KeyStore } from './key-store.js';

/**
 * Secrets of tool servers: header values, OpenAPI credentials and OAuth tokens. Where the host can encrypt (the
 * desktop app), they are kept in `keys.json` beside the provider keys; elsewhere (serve mode, the CLI, tests) they
 * live in memory until the process ends, so nothing secret is ever written to disk in plain text.
 */
export class ToolSecrets {
  private readonly volatile = new Map<string, string>();

  /** `null`: memory only, with no key file at all (tests, the conformance harness). */
  constructor(private readonly keys: KeyStore | null) {}

  static inMemory(): ToolSecrets {
    return new ToolSecrets(null);
  }

  /** False when secrets last only until Coda quits (no OS keychain here); the UI says so. */
  get persistent(): boolean {
    return this.keys?.available ?? false;
  }

  get(serverId: string, name: string): string | undefined {
    const id = secretId(serverId, name);
    return this.keys?.available ? this.keys.get(id) : this.volatile.get(id);
  }

  set(serverId: string, name: string, value: string | null): void {
    const id = secretId(serverId, name);
    if (!this.keys?.available) {
      if (value === null) this.volatile.delete(id);
      else this.volatile.set(id, value);
      return;
    }
    if (value !== null || this.keys.has(id)) this.keys.set(id, value);
  }

  getJson<T>(serverId: string, name: string): T | undefined {
    const text = this.get(serverId, name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  setJson(serverId: string, name: string, value: unknown): void {
    this.set(serverId, name, value === undefined || value === null ? null : JSON.stringify(value));
  }

  /** Forgets every secret of a server (it was removed, or the user signed out). */
  removeAll(serverId: string, namePrefix = ''): void {
    const prefix = secretId(serverId, namePrefix);
    for (const id of [...this.volatile.keys()]) if (id.startsWith(prefix)) this.volatile.delete(id);
    if (this.keys?.available) for (const id of this.keys.idsWithPrefix(prefix)) this.keys.set(id, null);
  }
}

function secretId(serverId: string, name: string): string {
  return `tool:${serverId}:${name}`;
}
