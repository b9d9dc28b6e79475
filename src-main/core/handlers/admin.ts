import type { AdminStatus } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import type { AdminGate } from '../idp/admin-pin';
import { auditTypesOfKind, type AuditEventType, type AuditLog } from '../idp/audit-log';
import { normalisePhoneNumber } from '../directory/phone-number';
import type { KioskSettings } from '../directory/directory-snapshot';
import type { PhoneSignIn } from '../idp/phone-sign-in';
import type { ShiftPinSignIn } from '../idp/shift-pin';
import type { DeviceSession } from '../session/device-session';
import type { DirectoryRepository } from '../store/directory-repository';
import type { CallHandlers } from './contract-dispatch';

export interface AdminDeps {
  gate: AdminGate;
  session: DeviceSession;
  signIn: PhoneSignIn;
  shiftPin: ShiftPinSignIn;
  audit: AuditLog;
  directory: DirectoryRepository;
  clock: Clock;
  settings: () => KioskSettings;
  mode: AdminStatus['mode'];
  deviceName: string;
  version: string;
  /** How the last sync went; null in the demo or before the first. */
  lastSync: () => AdminStatus['lastSync'];
  /** What the last sync set aside; absent in the demo. */
  setAside?: () => AdminStatus['setAside'];
  /** How each configured SMS provider is doing (none recorded in the demo). */
  smsProviders: () => NonNullable<AdminStatus['smsProviders']>;
  /** When the directory last synced successfully; undefined in the demo, whose directory never ages. */
  directorySyncedAt: () => number | null | undefined;
  /** A live kiosk syncs now; absent in the demo, which has no directory to sync. */
  syncNow?: () => Promise<void>;
  /** Builds the diagnostics bundle and sends it through the audit upload; absent without one. Resolves with the failure, or null. */
  sendDiagnostics?: () => Promise<{ reason: string; message: string } | null>;
  /** The demo puts its tenant back as it started; absent live. */
  resetDemo?: () => void;
  /** Leaves kiosk mode; absent where there is none (preview). */
  exitKiosk?: () => void;
}

type AdminCalls =
  | 'admin.open'
  | 'admin.close'
  | 'admin.status'
  | 'admin.audit'
  | 'admin.syncNow'
  | 'admin.sendDiagnostics'
  | 'admin.resetDemo'
  | 'admin.unlock'
  | 'admin.locked'
  | 'admin.unlockWorker'
  | 'admin.shiftPins'
  | 'admin.clearShiftPins'
  | 'admin.session'
  | 'admin.exit';

/** `admin.*`: behind the admin PIN; every call that changes something is audited by the gate. */
export function adminHandlers(deps: AdminDeps): Pick<CallHandlers, AdminCalls> {
  const { gate, session, signIn, audit, directory, clock } = deps;
  const status = (): AdminStatus => ({
    deviceName: deps.deviceName,
    version: deps.version,
    mode: deps.mode,
    lastSync: deps.lastSync(),
    ...directory.counts(),
    directorySyncedAt: deps.directorySyncedAt() ?? null,
    directoryTooOld: signIn.directoryTooOld(),
    ...(deps.setAside && { setAside: deps.setAside() }),
    smsProviders: deps.smsProviders(),
  });
  /** Runs an admin call only while the admin screen is open; `look` calls change nothing and are not audited. */
  const asAdmin = async <T>(action: string, run: () => Result<T> | Promise<Result<T>>, look = false): Promise<Result<T>> => {
    const open = gate.use(action, !look);
    return open.ok ? run() : open;
  };
  return {
    'admin.open': async ({ pin }) => {
      const opened = await gate.open(pin);
      return opened.ok ? ok({}) : opened;
    },
    'admin.close': () => {
      gate.close();
      return ok({});
    },
    'admin.status': () => asAdmin('status', () => ok(status()), true),
    'admin.audit': ({ outcome, type, kind, phone, sinceHours, limit }) =>
      asAdmin(
        'audit',
        () => {
          const since = sinceHours === undefined ? undefined : clock.now() - sinceHours * 3_600_000;
          let phoneNumber: string | undefined;
          if (phone !== undefined && phone.trim() !== '') {
            const normalised = normalisePhoneNumber(phone, deps.settings().defaultCountry);
            if (!normalised.ok) return normalised;
            phoneNumber = normalised.value;
          }
          const types = kind ? auditTypesOfKind[kind] : type ? [type as AuditEventType] : undefined;
          const events = audit.query({ outcome, types, since, phoneNumber, limit });
          return ok({
            events: events.map(({ id, at, type, outcome, reason, userId, phoneMasked, details }) => ({
              id,
              at,
              type,
              outcome,
              reason,
              userId,
              // IT reads names, not identifiers; a user the directory no longer has stays an id.
              userName: userId === null ? null : (directory.displayNameOf(userId) ?? null),
              phoneMasked,
              ...((details?.channel === 'sms' || details?.channel === 'voice') && { channel: details.channel }),
              ...(typeof details?.amr === 'string' && { amr: details.amr }),
              ...(typeof details?.method === 'string' && { method: details.method }),
            })),
          });
        },
        true,
      ),
    'admin.syncNow': () =>
      asAdmin('syncNow', async () => {
        if (!deps.syncNow) return fail('admin.notAvailable', 'Demo mode has no directory to sync.');
        await deps.syncNow();
        return ok(status());
      }),
    'admin.sendDiagnostics': () =>
      asAdmin('sendDiagnostics', async () => {
        if (!deps.sendDiagnostics) return fail('admin.notAvailable', 'This kiosk has no audit upload configured (auditUpload), so diagnostics have nowhere to go.');
        const failure = await deps.sendDiagnostics();
        if (failure) return fail('admin.diagnosticsFailed', `The diagnostics could not be sent (${failure.reason}): ${failure.message}`);
        return ok({ sentAt: clock.now() });
      }),
    'admin.resetDemo': () =>
      asAdmin('resetDemo', async () => {
        if (!deps.resetDemo) return fail('admin.notAvailable', 'Only the offline demo can be reset.');
        await session.end('admin');
        deps.resetDemo();
        return ok(status());
      }),
    'admin.unlock': ({ phone }) => asAdmin('unlock', () => signIn.unlockNumber(phone)),
    'admin.locked': () => asAdmin('locked', () => ok({ workers: signIn.lockedWorkers() }), true),
    'admin.unlockWorker': ({ userId }) => asAdmin('unlock', () => ok({ unlocked: signIn.unlockUser(userId) ? 1 : 0 })),
    'admin.shiftPins': () => asAdmin('shiftPins', () => ok({ workers: deps.shiftPin.list() }), true),
    'admin.clearShiftPins': ({ userId }) => asAdmin('clearShiftPins', () => ok({ cleared: deps.shiftPin.clear(userId) })),
    'admin.session': () =>
      asAdmin(
        'session',
        () => {
          const worker = session.signedIn();
          return ok({ signedIn: worker && { displayName: worker.displayName, amr: [...worker.amr], startedAt: worker.startedAt } });
        },
        true,
      ),
    'admin.exit': () =>
      asAdmin('exit', async () => {
        if (!deps.exitKiosk) return fail('admin.notAvailable', 'Leaving kiosk mode works only in the desktop app.');
        gate.close();
        await session.signOut('admin');
        deps.exitKiosk();
        return ok({});
      }),
  };
}
