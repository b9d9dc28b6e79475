import { ADMIN_PIN_HASH } from '../idp/admin-pin';
import { DemoOutbox } from '../sms/demo-outbox';
import { seedDemoTenant } from './demo-seed';
import type { ModeServices } from './mode-services';

/**
 * The offline demo's admin PIN is 2468 (README, for trainers); stored pre-hashed so a demo
 * starts without spending a scrypt. A live kiosk has no default PIN.
 */
const DEMO_ADMIN_PIN_HASH = 'scrypt$32768$8$1$Idt7ulNePWjqzgURAOAjEQ==$nCgvRCjVYPOIRbWJgCsy6GElP+cFypthTwSCQyTnwAg=';

/** The demo's keys, in its data folder: see `secrets/file-secret-store.ts`. */
export const DEMO_SECRETS_FILE = 'demo-secrets.json';

/** The offline demo: a seeded tenant, texts on the on-screen phone, no network at all. */
export function demoServices(deviceName = 'Demo kiosk'): ModeServices {
  return {
    mode: 'demo',
    deviceName,
    organizationName: 'Frontline Kiosk',
    adminPinSecret: ADMIN_PIN_HASH,
    smsSender: ({ onDemoSms, clock, random }) => new DemoOutbox(onDemoSms, clock, random),
    setUp: async ({ store, audit, secrets }) => {
      if (store.directory.isEmpty()) seedDemoTenant(store, audit);
      if (!(await secrets.get(ADMIN_PIN_HASH))) await secrets.set(ADMIN_PIN_HASH, DEMO_ADMIN_PIN_HASH);
    },
    reset: ({ store, audit }) => seedDemoTenant(store, audit),
    start: () => ({ lastSync: () => null, stop: () => undefined }),
  };
}
