import { safeStorage } from 'electron';
import type { SecretVault } from '../core/settings/key-store.js';

/**
 * Provider keys are encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). On Linux without a
 * keyring it falls back to a fixed password; keys still work but the user is told they are not really protected.
 */
export function safeStorageVault(): SecretVault {
  const available = safeStorage.isEncryptionAvailable();
  const plainText = process.platform === 'linux' && available && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    available,
    warning: plainText
      ? "No system keyring was found, so keys are stored with Electron's plain-text fallback: anyone who can read your files can read them. Install and unlock a keyring (GNOME Keyring, KWallet) to protect them."
      : null,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}
