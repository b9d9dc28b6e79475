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
    return {
      upsert(id, payload, expiresIn) {
        records.upsert(model, id, {
          payload: payload as Record<string, unknown>,
          grantId: payload.grantId,
          uid: payload.uid,
          userCode: payload.userCode,
          expiresAt: expiresIn ? clock.now() + expiresIn * 1000 : null,
        });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(records.find(model, id, clock.now()) as AdapterPayload | undefined),
      findByUid: (uid) => Promise.resolve(records.findByUid(model, uid, clock.now()) as AdapterPayload | undefined),
      findByUserCode: (code) => Promise.resolve(records.findByUserCode(model, code, clock.now()) as AdapterPayload | undefined),
      consume(id) {
        records.consume(model, id, clock.now());
        return Promise.resolve();
      },
      destroy(id) {
        records.destroy(model, id);
        return Promise.resolve();
      },
      revokeByGrantId(grantId) {
        records.revokeByGrantId(grantId);
        return Promise.resolve();
      },
    };
  };
}
