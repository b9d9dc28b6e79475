import type { KioskDatabase } from './database';

export interface DirectoryStats {
  users: number;
  /** Mobile phone methods ready for SMS sign-in. */
  readyPhones: number;
}

/** What the admin screen counts: how many people this kiosk knows, and how many can sign in. */
export function directoryStats(db: KioskDatabase): DirectoryStats {
  return db
    .prepare<[], DirectoryStats>(
      `SELECT (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM phone_methods WHERE phone_type = 'mobile' AND sms_sign_in_state = 'ready') AS readyPhones`,
    )
    .get()!;
}
