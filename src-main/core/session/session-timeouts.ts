import type { KioskSettings, SessionTimeouts } from '../directory/directory-snapshot';

/**
 * The timeouts for one worker: where their groups set a value, the group's value (the
 * strictest, when several of their groups set it — a shared screen errs towards signing
 * out); elsewhere the kiosk's.
 */
export function timeoutsFor(groupIds: readonly string[], settings: KioskSettings): SessionTimeouts {
  const timeouts = { ...settings.session };
  for (const key of Object.keys(timeouts) as Array<keyof SessionTimeouts>) {
    const fromGroups = groupIds.map((id) => settings.sessionByGroup[id]?.[key]).filter((value) => value !== undefined);
    if (fromGroups.length > 0) timeouts[key] = Math.min(...fromGroups);
  }
  return timeouts;
}
