import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageAdapter } from '../../electron/secrets';

/** A stand-in for Electron's safeStorage that really encrypts (AES-256-GCM), so ciphertext is ciphertext. */
export function aesSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageAdapter & { key: Buffer } {
  const key = randomBytes(32);
  return {
    key,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
