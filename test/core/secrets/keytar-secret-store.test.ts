import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../src-main/core/secrets/keytar-secret-store';
import { CODE_HMAC_KEY, loadOrCreateKey } from '../../../src-main/core/secrets/secret-store';
import { seededRandom } from '../../fakes';

// The real OS keychain: gnome-keyring over D-Bus on Linux (npm test starts one if needed).
const service = `frontline-kiosk-test-${randomBytes(4).toString('hex')}`;
const store = new KeytarSecretStore(service);

afterAll(async () => {
  await store.delete(CODE_HMAC_KEY);
  await store.delete('sms-provider-token');
});

describe('secrets in the OS keychain', () => {
  it('stores, reads back and deletes a secret', async () => {
    await store.set('sms-provider-token', 's3cret-value');
    expect(await new KeytarSecretStore(service).get('sms-provider-token')).toBe('s3cret-value');
    expect(await store.delete('sms-provider-token')).toBe(true);
    expect(await store.get('sms-provider-token')).toBeNull();
  });

  it('creates the code HMAC key once and keeps it across restarts', async () => {
    const first = await loadOrCreateKey(store, CODE_HMAC_KEY, seededRandom('a'));
    const again = await loadOrCreateKey(new KeytarSecretStore(service), CODE_HMAC_KEY, seededRandom('b'));
    expect(first).toHaveLength(32);
    expect(again.equals(first)).toBe(true);
  });
});
