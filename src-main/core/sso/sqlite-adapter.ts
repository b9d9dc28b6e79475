import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../base/clock';
import type { OidcRepository } from '../store/oidc-repository';

/**
 * oidc-provider's storage adapter over the kiosk's SQLite file. Clients are not stored:
 * they come from policy (`apps[].oidc`) through `clientFor`, so a sync that adds, changes
 * or removes an app's registration takes effect on the next request.
 */
export function sqliteAdapter(
  records: OidcRepository,
  clock: Clock,
  clientFor: (clientId: string) => AdapterPayload | undefined,
): (model: string) => Adapter {
  return (model) => {
    if (model === 'Client') {
      return {
        find: (id) => Promise.resolve(clientFor(id)),
        upsert: () => Promise.reject(new Error('Clients come from the kiosk policy; they are never stored.')),
        findByUid: () => Promise.resolve(undefined),
        findByUserCode: () => Promise.resolve(undefined),
        consume: () => Promise.resolve(),
        destroy: () => Promise.resolve(),
        revokeByGrantId: () => Promise.resolve(),
      };
    }
    // A code's or token's id is its value (oidc-provider's opaque format), so rows are keyed by
    // its SHA-256 and keep no jti: a copy of the file holds nothing an app would accept. The
    // provider's Session is the exception: it is also found by uid, which must give back its
    // id; it names the provider session in the app partition's cookie and ends with it.
    const hashed = model !== 'Session';
    const key = (id: string) => (hashed ? createHash('sha256').update(id).digest('base64url') : id);
    const found = (id: string, stored: Record<string, unknown> | undefined) =>
      (stored && hashed ? { ...stored, jti: id } : stored) as AdapterPayload | undefined;
    return {
      upsert(id, payload, expiresIn) {
        const { jti: _value, ...rest } = payload as Record<string, unknown>;
        records.upsert(model, key(id), {
          payload: hashed ? rest : (payload as Record<string, unknown>),
          grantId: payload.grantId,
          uid: payload.uid,
          userCode: payload.userCode,
          expiresAt: expiresIn ? clock.now() + expiresIn * 1000 : null,
        });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(found(id, records.find(model, key(id), clock.now()) as Record<string, unknown> | undefined)),
      findByUid: (uid) => Promise.resolve(records.findByUid(model, uid, clock.now()) as AdapterPayload | undefined),
      findByUserCode: (code) => Promise.resolve(records.findByUserCode(model, code, clock.now()) as AdapterPayload | undefined),
      consume(id) {
        records.consume(model, key(id), clock.now());
        return Promise.resolve();
      },
      destroy(id) {
        records.destroy(model, key(id));
        return Promise.resolve();
      },
      revokeByGrantId(grantId) {
        records.revokeByGrantId(grantId);
        return Promise.resolve();
      },
    };
  };
}
