import type { AuditLog } from '../idp/audit-log';
import { FAILURES_UNTIL_ADMIN_UNLOCK, userSubject } from '../idp/lockout';
import type { KioskStore } from '../store/kiosk-store';
import { applySnapshot } from '../sync/apply-snapshot';
import { DEMO_LOCKED_USER, demoTenant } from './demo-tenant';

/**
 * Puts the demo tenant in place as a trainer expects to find it: the directory, nobody
 * signed in or mid-sign-in, no caps used, no shift PIN or authenticator app set up, and Dana
 * locked out so unlocking can be shown.
 * Used on first start and by "Reset demo".
 */
export function seedDemoTenant(store: Pick<KioskStore, 'transaction' | 'challenges' | 'lockouts' | 'sendLog' | 'directory' | 'shiftPins' | 'authenticators'>, audit: AuditLog): void {
  store.transaction(() => {
    store.challenges.clearEverything();
    store.lockouts.clearEverything();
    store.sendLog.clearEverything();
    // A trainer's shift PIN or authenticator app must not outlive the demo they were set in.
    store.shiftPins.deleteEverything();
    store.authenticators.deleteEverything();
    applySnapshot(structuredClone(demoTenant), store.directory, audit);
    store.lockouts.lockUntilAdminUnlocks(userSubject(DEMO_LOCKED_USER), FAILURES_UNTIL_ADMIN_UNLOCK);
  });
}
