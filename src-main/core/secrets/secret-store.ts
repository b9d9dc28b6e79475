import type { RandomSource } from '../base/random';

/** The OS keychain, or its stand-in for demo mode. Values never touch the config file or logs. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** Keys the kiosk creates for itself on first use. */
export const CODE_HMAC_KEY = 'code-hmac-key';
export const PHONE_HMAC_KEY = 'phone-hmac-key';
/** Keys the shift PINs' hashes (bound to this kiosk: a copied database is no use elsewhere). */
export const SHIFT_PIN_KEY = 'shift-pin-key';
/** Seals authenticator app secrets at rest (AES-256-GCM). */
export const AUTHENTICATOR_SEAL_KEY = 'authenticator-seal-key';

/** A 256-bit key from the store, created and saved on first use. */
export async function loadOrCreateKey(secrets: SecretStore, name: string, random: RandomSource): Promise<Buffer> {
  const stored = await secrets.get(name);
  if (stored) {
    const key = Buffer.from(stored, 'base64');
    if (key.length >= 32) return key;
  }
  const key = random.bytes(32);
  await secrets.set(name, key.toString('base64'));
  return key;
}
