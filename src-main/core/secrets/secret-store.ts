import type { RandomSource } from '../random';

/** The OS keychain, or its stand-in for demo mode. Values never touch the config file or logs. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export const CODE_HMAC_KEY = 'code-hmac-key';

/** The key codes are hashed with, created on first use. */
export async function loadCodeHmacKey(secrets: SecretStore, random: RandomSource): Promise<Buffer> {
  const stored = await secrets.get(CODE_HMAC_KEY);
  if (stored) {
    const key = Buffer.from(stored, 'base64');
    if (key.length >= 32) return key;
  }
  const key = random.bytes(32);
  await secrets.set(CODE_HMAC_KEY, key.toString('base64'));
  return key;
}
