import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

// Found in review: a sign-out closed the session row and wrote its audit event as two
// separate statements, so a crash between them left a closed session that IT never sees
// end. A change and the event that records it now commit together or not at all.

let harness: DemoKioskHarness | undefined;
afterEach(() => harness?.close());

const openRows = (h: DemoKioskHarness) => {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL').pluck().get();
  } finally {
    db.close();
  }
};

it('leaves the session open when its sign-out cannot be recorded', async () => {
  harness = await openDemoKiosk();
  const { kiosk } = harness;
  const started = await kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
  const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';
  expect(await kiosk.handlers['signIn.verify']({ challengeId, code: harness.lastCode() })).toMatchObject({ ok: true, value: { state: 'active' } });
  expect(openRows(harness)).toBe(1);

  const record = kiosk.audit.record.bind(kiosk.audit);
  kiosk.audit.record = (entry) => {
    if (entry.type === 'session.signOut') throw new Error('disk full');
    record(entry);
  };
  await expect(kiosk.handlers['session.signOut']({})).rejects.toThrow('disk full');
  expect(openRows(harness)).toBe(1);
});
