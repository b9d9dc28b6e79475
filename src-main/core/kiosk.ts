import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AdminStatus, DeviceStatus } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './clock';
import type { CallHandlers } from './contract-dispatch';
import { AuditLog, auditTypesOfKind, type AuditEventType } from './idp/audit-log';
import { normalisePhoneNumber } from './idp/phone-number';
import { SignInLockout } from './idp/lockout';
import { phoneKeyer } from './idp/phone-key';
import { PhoneSignIn } from './idp/phone-sign-in';
import { SendLimits } from './idp/send-limits';
import { realStopwatch, SendTiming, type Stopwatch } from './idp/send-timing';
import { KioskEvents } from './kiosk-events';
import { consoleLogger, type Logger } from './log';
import { cryptoRandom, type RandomSource } from './random';
import { CODE_HMAC_KEY, loadOrCreateKey, PHONE_HMAC_KEY, type SecretStore } from './secrets/secret-store';
import { MemorySecretStore } from './secrets/memory-secret-store';
import { DeviceSession } from './session/device-session';
import { appsFor, browserTabLauncher, type AppLauncher } from './session/app-launcher';
import { AdminGate, ADMIN_PIN_HASH } from './idp/admin-pin';
import { DemoOutbox } from './sms/demo-outbox';
import type { SmsSender } from './sms/sms-sender';
import { ChallengeRepository } from './store/challenge-repository';
import { openDatabase } from './store/database';
import { DirectoryRepository } from './store/directory-repository';
import { SessionRepository, type SignOutReason } from './store/session-repository';
import { seedDemoTenant } from './sync/demo-seed';
import { defaultAuditRetention, kioskSettingsSchema, type KioskSettings } from './sync/directory-snapshot';
import type { DeviceConfig } from './config/device-config';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { smsSenderFor, startLiveSync, type LiveSync } from './live-services';

/**
 * The offline demo's admin PIN is 2468 (README, for trainers); stored pre-hashed so a demo
 * starts without spending a scrypt. A live kiosk has no default PIN.
 */
const DEMO_ADMIN_PIN_HASH = 'scrypt$32768$8$1$Idt7ulNePWjqzgURAOAjEQ==$nCgvRCjVYPOIRbWJgCsy6GElP+cFypthTwSCQyTnwAg=';

/** Offline demo mode (no configuration), or live with IT's configuration. */
export type KioskSetup = { mode: 'demo' } | { mode: 'live'; config: DeviceConfig };

export interface KioskOptions {
  /** Where `kiosk.db` lives. A fresh directory in demo mode means a fresh demo tenant. */
  dataDir: string;
  version: string;
  deviceName?: string;
  clock?: Clock;
  /** Runs the session's timers; tests pass the fake clock, which is also a scheduler. */
  scheduler?: Scheduler;
  random?: RandomSource;
  /** Default: the OS keychain live; in memory for the demo, which never touches the keychain. */
  secrets?: SecretStore;
  /** Where texts go: default the configured provider live, the on-screen demo phone in the demo. */
  smsSender?: SmsSender;
  /**
   * Wipes a worker's traces at sign-out before the keypad shows (the Electron shell: app
   * partitions and clipboard). The preview host has nothing to wipe.
   */
  wipeSession?: (reason: SignOutReason) => Promise<void>;
  /** Shows the apps a worker opens: the Electron shell's views, else a browser tab. */
  appLauncher?: AppLauncher;
  /** Leaves kiosk mode once the admin PIN checks out; absent where there is none (preview). */
  exitKiosk?: () => void;
  /** Measures and pads send times; tests pass one that never sleeps. */
  stopwatch?: Stopwatch;
  log?: Logger;
}

export interface Kiosk {
  handlers: CallHandlers;
  events: KioskEvents;
  /**
   * Ends the signed-in session or code entry, for a reason the shell detected (crash,
   * suspend, admin); resolves once the worker's traces are wiped.
   */
  endSession(reason: SignOutReason): Promise<void>;
  /** Touch, key or pointer input the shell saw itself. */
  recordActivity(): void;
  /** The directory changed: ends a session whose worker may no longer sign in. */
  directoryChanged(): Promise<void>;
  audit: AuditLog;
  close(): void;
}

/** The offline demo: a seeded tenant, texts on the on-screen phone, no network at all. */
export function createDemoKiosk(options: KioskOptions): Promise<Kiosk> {
  return createKiosk({ mode: 'demo' }, options);
}

/**
 * The composition root: builds the services for demo or live mode and implements the
 * contract over them.
 */
export async function createKiosk(setup: KioskSetup, options: KioskOptions): Promise<Kiosk> {
  const demo = setup.mode === 'demo';
  const config = setup.mode === 'live' ? setup.config : null;
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? consoleLogger;
  const secrets = options.secrets ?? (demo ? new MemorySecretStore() : new KeytarSecretStore());

  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(path.join(options.dataDir, 'kiosk.db'));
  const events = new KioskEvents();
  const directory = new DirectoryRepository(db);
  // A live kiosk that has never synced still shows its keypad, with neutral settings.
  const unsynced: KioskSettings = kioskSettingsSchema.parse({ defaultCountry: 'US', organizationName: config?.deviceName ?? 'Frontline Kiosk' });
  const settings = () => directory.kioskSettings() ?? unsynced;
  const phoneKey = phoneKeyer(await loadOrCreateKey(secrets, PHONE_HMAC_KEY, random));
  const audit = new AuditLog(db, clock, phoneKey, () => {
    const stored = directory.kioskSettings();
    return stored ? { days: stored.auditRetentionDays, maxRows: stored.auditMaxRows } : defaultAuditRetention;
  });
  let liveSync: LiveSync | null = null;
  if (demo && directory.isEmpty()) seedDemoTenant(db, directory, audit);
  if (config) {
    liveSync = startLiveSync(config, {
      db,
      directory,
      audit,
      secrets,
      clock,
      scheduler,
      random,
      log,
      onStatus: (status) => events.emit('sync.status', status),
      onApplied: () => session.directoryChanged(),
    });
  }
  audit.prune();

  const signIn = new PhoneSignIn({
    directory,
    challenges: new ChallengeRepository(db),
    lockout: new SignInLockout(db, clock),
    limits: new SendLimits(db, clock),
    timing: new SendTiming(options.stopwatch ?? realStopwatch, random),
    audit,
    sms: options.smsSender ?? (config ? smsSenderFor(config, { secrets, clock, random }) : new DemoOutbox((sms) => events.emit('demo.sms', sms), clock, random)),
    clock,
    random,
    codeKey: await loadOrCreateKey(secrets, CODE_HMAC_KEY, random),
    phoneKey,
    settings,
  });
  const session = new DeviceSession({
    signIn,
    sessions: new SessionRepository(db),
    directory,
    audit,
    clock,
    scheduler,
    random,
    settings,
    wipe: options.wipeSession ?? (() => Promise.resolve()),
    onChange: (view) => events.emit('session.changed', view),
    log,
  });

  // Demo mode's admin PIN is documented in the README; a live kiosk's is set by IT.
  const pinSecret = config?.adminPinSecret ?? ADMIN_PIN_HASH;
  if (demo && !(await secrets.get(pinSecret))) await secrets.set(pinSecret, DEMO_ADMIN_PIN_HASH);
  const admin = new AdminGate(pinSecret, secrets, clock, audit);
  const launcher = options.appLauncher ?? browserTabLauncher;
  const myApps = () => {
    const signedIn = session.signedIn();
    return signedIn ? { sessionId: signedIn.sessionId, apps: appsFor(signedIn.groupIds, settings().apps) } : null;
  };

  const mode = setup.mode;
  const deviceName = config?.deviceName ?? options.deviceName ?? 'Demo kiosk';
  const status = (): DeviceStatus => {
    const { organizationName, defaultCountry, defaultLanguage, branding, walkAway } = settings();
    const capabilities = { exit: options.exitKiosk !== undefined };
    return { mode, deviceName, version: options.version, organizationName, defaultCountry, defaultLanguage, branding, capabilities, walkAway };
  };
  const lastSync = (): AdminStatus['lastSync'] => {
    const sync = liveSync?.scheduler.status();
    if (!sync?.lastAttemptAt) return null;
    return { at: sync.lastAttemptAt, ok: sync.lastError === null, ...(sync.lastError && { message: sync.lastError.message }) };
  };
  const adminStatus = (): AdminStatus => ({ deviceName, version: options.version, mode, lastSync: lastSync(), ...directory.counts() });
  /** Runs an admin call only while the admin screen is open; `look` calls change nothing and are not audited. */
  const asAdmin = async <T>(action: string, run: () => Result<T> | Promise<Result<T>>, look = false): Promise<Result<T>> => {
    const open = admin.use(action, !look);
    return open.ok ? run() : open;
  };

  const handlers: CallHandlers = {
    'signIn.start': ({ phone, country, language }) =>
      directory.isEmpty()
        ? fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.')
        : session.startSignIn(phone, country, language),
    'signIn.resend': ({ challengeId }) => session.resend(challengeId),
    'signIn.renew': ({ challengeId, language }) => session.renew(challengeId, language),
    'signIn.verify': ({ challengeId, code }) => session.verify(challengeId, code),
    'signIn.cancel': () => session.cancel(),
    'session.current': () => ok(session.view()),
    'session.signOut': () => session.signOut('user'),
    'session.activity': () => session.activity(),
    'session.stillHere': () => session.stillHere(),
    'apps.list': () => ok({ apps: (myApps()?.apps ?? []).map(({ id, name, icon }) => ({ id, name, ...(icon && { icon }) })) }),
    'apps.open': async ({ appId }) => {
      const mine = myApps();
      const app = mine?.apps.find((candidate) => candidate.id === appId);
      if (!mine || !app) return fail('app.notFound', 'That app is not available to you here.');
      return ok(await launcher.open(app, mine.sessionId));
    },
    'apps.home': () => {
      launcher.showHome();
      return ok({});
    },
    'admin.open': async ({ pin }) => {
      const opened = await admin.open(pin);
      return opened.ok ? ok({}) : opened;
    },
    'admin.close': () => {
      admin.close();
      return ok({});
    },
    'admin.status': () => asAdmin('status', () => ok(adminStatus()), true),
    'admin.audit': ({ outcome, type, kind, phone, sinceHours, limit }) =>
      asAdmin('audit', () => {
        const since = sinceHours === undefined ? undefined : clock.now() - sinceHours * 3_600_000;
        let phoneNumber: string | undefined;
        if (phone !== undefined && phone.trim() !== '') {
          const normalised = normalisePhoneNumber(phone, settings().defaultCountry);
          if (!normalised.ok) return normalised;
          phoneNumber = normalised.value;
        }
        const types = kind ? auditTypesOfKind[kind] : type ? [type as AuditEventType] : undefined;
        const events = audit.query({ outcome, types, since, phoneNumber, limit });
        return ok({
          events: events.map(({ id, at, type, outcome, reason, userId, phoneMasked }) => ({
            id,
            at,
            type,
            outcome,
            reason,
            userId,
            userName: userId === null ? null : (directory.displayNameOf(userId) ?? null),
            phoneMasked,
          })),
        });
      }, true),
    'admin.syncNow': () =>
      asAdmin('syncNow', async () => {
        if (!liveSync) return fail('admin.notAvailable', 'Demo mode has no directory to sync.');
        await liveSync.scheduler.syncNow();
        return ok(adminStatus());
      }),
    'admin.resetDemo': () =>
      asAdmin('resetDemo', async () => {
        if (!demo) return fail('admin.notAvailable', 'Only the offline demo can be reset.');
        await session.signOut('admin');
        session.cancel();
        seedDemoTenant(db, directory, audit);
        return ok(adminStatus());
      }),
    'admin.unlock': ({ phone }) =>
      asAdmin('unlock', () => {
        const normalised = normalisePhoneNumber(phone, settings().defaultCountry);
        if (!normalised.ok) return normalised;
        const holders = directory.holdersOf(normalised.value);
        return ok({ unlocked: holders.filter((holder) => signIn.unlockUser(holder.userId)).length });
      }),
    'admin.exit': () =>
      asAdmin('exit', async () => {
        const exitKiosk = options.exitKiosk;
        if (!exitKiosk) return fail('admin.notAvailable', 'Leaving kiosk mode works only in the desktop app.');
        admin.close();
        await session.signOut('admin');
        exitKiosk();
        return ok({});
      }),
    'device.status': () => ok(status()),
  };

  log.info('kiosk started', { mode, version: options.version });
  const endSession = async (reason: SignOutReason) => {
    await session.signOut(reason);
    session.cancel();
  };
  return {
    handlers,
    events,
    endSession,
    recordActivity: () => void session.activity(),
    directoryChanged: () => session.directoryChanged(),
    audit,
    close: () => {
      liveSync?.stop();
      session.dispose();
      db.close();
    },
  };
}
