import type { AuditLog } from '../idp/audit-log';
import { userSubject } from '../idp/lockout';
import type { KioskDatabase } from '../store/database';
import type { DirectoryRepository } from '../store/directory-repository';
import { applySnapshot } from '../sync/apply-snapshot';
import { DEMO_LOCKED_USER, demoTenant } from './demo-tenant';

/**
 * Puts the demo tenant in place as a trainer expects to find it: the directory, nobody
 * signed in or mid-sign-in, no caps used, and Dana locked out so unlocking can be shown.
 * Used on first start and by "Reset demo".
 */
export function seedDemoTenant(db: KioskDatabase, directory: DirectoryRepository, audit: AuditLog): void {
  db.transaction(() => {
    db.exec('DELETE FROM challenges; DELETE FROM sign_in_lockouts; DELETE FROM sms_sends;');
    applySnapshot(structuredClone(demoTenant), directory, audit);
    db.prepare('INSERT INTO sign_in_lockouts (subject, consecutive_failures, admin_locked) VALUES (?, 100, 1)').run(userSubject(DEMO_LOCKED_USER));
  })();
}
