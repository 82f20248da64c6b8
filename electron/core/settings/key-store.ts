import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Encryption the host offers for secrets: Electron's safeStorage in the app (OS keychain), none in serve mode and
 * the CLI, where keys come from the environment instead.
 */
export interface SecretVault {
  readonly available: boolean;
  /** Set when keys are stored but not really protected (Linux without a keyring falls back to a fixed password). */
  readonly warning: string | null;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

export const NO_VAULT: SecretVault = {
  available: false,
  warning: null,
  encrypt: () => {
    throw new Error('No secret storage here');
  },
  decrypt: () => {
    throw new Error('No secret storage here');
  },
};

interface KeyFile {
  version: 1;
  keys: Record<string, string>;
}

/**
 * Provider keys, encrypted by the vault, in `keys.json` in the data folder (never in the database, exports, logs
 * or traces). Decrypted only when a provider is built; never sent to the renderer.
 */
export class KeyStore {
  private readonly file: string;
  private keys: Record<string, string>;

  constructor(
    dataDir: string,
    private readonly vault: SecretVault,
  ) {
    this.file = path.join(dataDir, 'keys.json');
    this.keys = this.read();
  }

  get available(): boolean {
    return this.vault.available;
  }

  get warning(): string | null {
    return this.vault.warning;
  }

  has(id: string): boolean {
    return id in this.keys;
  }

  get(id: string): string | undefined {
    const cipher = this.keys[id];
    if (!cipher || !this.vault.available) return undefined;
    try {
      return this.vault.decrypt(cipher);
    } catch {
      // Encrypted on another machine or by another user: as good as absent; the UI asks for it again.
      return undefined;
    }
  }

  set(id: string, key: string | null): void {
    if (key === null) delete this.keys[id];
    else {
      if (!this.vault.available) throw new Error('Keys cannot be stored here; use environment variables.');
      this.keys[id] = this.vault.encrypt(key);
    }
    this.write();
  }

  /**
   * Sets a key and checks that the vault gives it back: a keychain that encrypts but cannot decrypt would otherwise
   * lose it without a word. On any failure the entry is put back exactly as it was (even one this vault cannot read)
   * and the error thrown.
   */
  setChecked(id: string, key: string | null): void {
    const before = this.keys[id];
    try {
      this.set(id, key);
      if (this.get(id) !== (key ?? undefined)) throw new Error('the key store did not give it back');
    } catch (error) {
      if (before === undefined) delete this.keys[id];
      else this.keys[id] = before;
      try {
        this.write();
      } catch {
        // The file cannot be written at all; the error below says what failed first.
      }
      throw error;
    }
  }

  private write(): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: 1, keys: this.keys } satisfies KeyFile), { mode: 0o600 });
    renameSync(temp, this.file);
    chmodSync(this.file, 0o600);
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<KeyFile>;
      return parsed.version === 1 && parsed.keys && typeof parsed.keys === 'object' ? parsed.keys : {};
    } catch {
      return {};
    }
  }
}
