import path from 'node:path';
import { repeat, systemClock, systemScheduler } from './base/clock';
import { consoleLogger } from './base/log';
import { cryptoRandom } from './base/random';
import { defaultAuditRetention, kioskSettingsSchema, type KioskSettings } from './directory/directory-snapshot';
import { adminHandlers } from './handlers/admin';
import { appsHandlers } from './handlers/apps';
import type { CallHandlers } from './handlers/contract-dispatch';
import { deviceHandlers } from './handlers/device';
import { sessionHandlers } from './handlers/session';
import { signInHandlers } from './handlers/sign-in';
import { AdminGate } from './idp/admin-pin';
import { AuditLog } from './idp/audit-log';
import { AuthenticatorSignIn } from './idp/authenticator';
import { ShiftPinSignIn } from './idp/shift-pin';
import { SignInLockout } from './idp/lockout';
import { phoneKeyer } from './idp/phone-key';
import { CHALLENGE_SWEEP_MS, PhoneSignIn } from './idp/phone-sign-in';
import { SendLimits } from './idp/send-limits';
import { realStopwatch, SendTiming } from './idp/send-timing';
import { KioskEvents } from './kiosk-events';
import { demoServices } from './modes/demo-services';
import { liveServices } from './modes/live-services';
import { diagnosticsBundle } from './diagnostics-bundle';
import type { BackgroundWork, ModeServices } from './modes/mode-services';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { DEMO_SECRETS_FILE } from './modes/demo-services';
import { FileSecretStore } from './secrets/file-secret-store';
import { AUTHENTICATOR_SEAL_KEY, CODE_HMAC_KEY, loadOrCreateKey, PHONE_HMAC_KEY, SHIFT_PIN_KEY } from './secrets/secret-store';
import { browserTabLauncher } from './session/app-launcher';
import { DeviceSession } from './session/device-session';
import { SingleSignOn } from './sso/single-sign-on';
import { openKioskStore } from './store/kiosk-store';
import { startIdleCheckpoints } from './store/wal-checkpoints';
import type { Kiosk, KioskOptions, KioskSetup } from './kiosk-interface';

export type { Kiosk, KioskOptions, KioskSetup } from './kiosk-interface';

/** The offline demo: a seeded tenant, texts on the on-screen phone, no network at all. */
export function createDemoKiosk(options: KioskOptions): Promise<Kiosk> {
  return createKiosk({ mode: 'demo' }, options);
}

/** The composition root: wires the services of the mode, in dependency order, and starts sync last. */
export async function createKiosk(setup: KioskSetup, options: KioskOptions): Promise<Kiosk> {
  const services: ModeServices = setup.mode === 'live' ? liveServices(setup.config, options.version) : demoServices(options.deviceName);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const log = options.log ?? consoleLogger;
  const secrets = options.secrets ?? (services.mode === 'demo' ? new FileSecretStore(path.join(options.dataDir, DEMO_SECRETS_FILE)) : new KeytarSecretStore());
  const store = openKioskStore(options.dataDir, { _durable: options._durableCounters });
  // Real time even under a test's fake clock: checkpoints are housekeeping, not behaviour.
  const stopCheckpoints = startIdleCheckpoints(store.db, systemScheduler);
  const deps = { store, secrets, clock, random, log, scheduler: options.scheduler ?? systemScheduler };
  const events = new KioskEvents();

  // A live kiosk that has never synced still shows its keypad, with neutral settings.
  const unsynced: KioskSettings = kioskSettingsSchema.parse({ defaultCountry: 'US', organizationName: services.organizationName });
  const settings = () => store.directory.kioskSettings() ?? unsynced;
  const phoneKey = phoneKeyer(await loadOrCreateKey(secrets, PHONE_HMAC_KEY, random));
  const audit = new AuditLog(store.auditEvents, clock, phoneKey, () => {
    const stored = store.directory.kioskSettings();
    return stored ? { days: stored.auditRetentionDays, maxRows: stored.auditMaxRows } : defaultAuditRetention;
  });
  await services.setUp({ ...deps, audit });
  audit.prune();

  const lockout = new SignInLockout(store.lockouts, clock);
  const signIn = new PhoneSignIn({
    directory: store.directory,
    challenges: store.challenges,
    lockout,
    limits: new SendLimits(store.sendLog, clock),
    timing: new SendTiming(options.stopwatch ?? realStopwatch, store.sendLog, clock),
    audit,
    sms: options.smsSender ?? services.smsSender({ ...deps, onDemoSms: (sms) => events.emit('demo.sms', sms) }),
    clock,
    random,
    codeKey: await loadOrCreateKey(secrets, CODE_HMAC_KEY, random),
    phoneKey,
    settings,
    transaction: store.durably,
    directorySyncedAt: () => background.directorySyncedAt?.(),
    log,
  });
  signIn.forgetExpired();
  // The ways in without a text: same lockout, their own five tries per number.
  const noTextDeps = { directory: store.directory, tries: store.lockouts, lockout, audit, clock, random, phoneKey, settings, transaction: store.durably, directoryTooOld: () => signIn.directoryTooOld() };
  const shiftPin = new ShiftPinSignIn({ ...noTextDeps, pins: store.shiftPins, pinKey: await loadOrCreateKey(secrets, SHIFT_PIN_KEY, random), kioskId: services.deviceName });
  const authenticator = new AuthenticatorSignIn({ ...noTextDeps, enrolments: store.authenticators, sealKey: await loadOrCreateKey(secrets, AUTHENTICATOR_SEAL_KEY, random) });
  const stopSweep = repeat(deps.scheduler, CHALLENGE_SWEEP_MS, () => void signIn.forgetExpired());
  // Single sign-on and the device session are peers: the provider asks who is signed in,
  // and the session's end revokes what the provider issued before the shell wipes.
  let session: DeviceSession | null = null;
  const sso = new SingleSignOn({
    ...deps,
    records: store.oidc,
    outbox: store.logoutOutbox,
    transaction: store.transaction,
    audit,
    settings,
    signedIn: () => session?.signedIn() ?? null,
  });
  // Nobody is signed in at start-up: what a run that died had issued ends now.
  sso.sessionEnded();
  const wipeSession = options.wipeSession ?? (() => Promise.resolve());
  session = new DeviceSession({
    ...deps,
    signIn,
    shiftPin,
    authenticator,
    sessions: store.sessions,
    directory: store.directory,
    transaction: store.transaction,
    audit,
    settings,
    wipe: (reason) => {
      sso.sessionEnded();
      return wipeSession(reason);
    },
    onChange: (view) => events.emit('session.changed', view),
  });
  const gate = new AdminGate(services.adminPinSecret, secrets, clock, audit, store.lockouts, store.durably);
  const background: BackgroundWork = services.start({
    ...deps,
    audit,
    onStatus: (status) => events.emit('sync.status', status),
    onApplied: () => session.directoryChanged(),
    syncWorkerFile: options.syncWorkerFile,
  });

  const { mode, deviceName } = services;
  const { version } = options;
  const handlers: CallHandlers = {
    ...signInHandlers(session),
    ...sessionHandlers(session),
    ...appsHandlers({ session, apps: () => settings().apps, launcher: options.appLauncher ?? browserTabLauncher }),
    ...adminHandlers({
      gate,
      session,
      signIn,
      shiftPin,
      audit,
      directory: store.directory,
      clock,
      settings,
      mode,
      deviceName,
      version,
      lastSync: background.lastSync,
      setAside: background.setAside,
      smsProviders: () => store.providerHealth.all(),
      directorySyncedAt: () => background.directorySyncedAt?.(),
      syncNow: background.syncNow,
      sendDiagnostics:
        background.sendDiagnostics &&
        (async () =>
          background.sendDiagnostics!(
            await diagnosticsBundle({
              version,
              now: clock.now(),
              config: setup.mode === 'live' ? setup.config : null,
              configFile: options.configFile ?? '(not given)',
              db: store.db,
              secrets,
              logDir: options.logDir ?? path.join(options.dataDir, 'logs'),
            }),
          )),
      resetDemo: services.reset && (() => services.reset!({ ...deps, audit })),
      exitKiosk: options.exitKiosk,
    }),
    ...deviceHandlers({ mode, deviceName, version, settings, canExit: options.exitKiosk !== undefined, preview: options.preview }),
  };

  log.info('kiosk started', { mode, version });
  return {
    handlers,
    events,
    endSession: (reason) => session.end(reason),
    recordActivity: () => void session.activity(),
    directoryChanged: () => session.directoryChanged(),
    audit,
    _textsSettled: () => signIn.settled(),
    sso,
    close: () => {
      stopSweep();
      background.stop();
      session.dispose();
      sso.dispose();
      stopCheckpoints();
      store.close();
    },
  };
}
