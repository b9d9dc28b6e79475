import { createCipheriv, createDecipheriv } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM (NIST SP 800-38D) with a 96-bit random nonce: `iv | tag | ciphertext`. `context`
 * is authenticated but not stored (the owner's id), so a sealed value moved to another row
 * does not open. The key lives in the keychain; only sealed bytes reach SQLite.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string, iv: Buffer): Buffer {
  if (iv.length !== IV_BYTES) throw new Error('seal: a 12-byte nonce is needed');
  const cipher = createCipheriv('aes-256-gcm', key.subarray(0, 32), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The plaintext, or null when the bytes, the key or the context do not match. */
export function open(key: Buffer, sealed: Buffer, context: string): Buffer | null {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.subarray(0, 32), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export const SEAL_NONCE_BYTES = IV_BYTES;
