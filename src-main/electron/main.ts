import path from 'node:path';
import { app, dialog } from 'electron';
import { ConfigError, locateConfig } from '../core/config/config-location';
import { isCliInvocation, runKioskCli } from '../cli/kiosk-cli';
import { loadKioskConfig } from '../core/modes/live-config';
import { fileLogger } from '../core/file-log';
import { createKiosk, type KioskSetup } from '../core/kiosk';
import { cryptoRandom } from '../core/base/random';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store';
import { handleKioskScheme, registerKioskScheme } from './app-protocol';
import { KioskShell } from './kiosk-shell';
import { partitionIssuer, partitionIssuerOf } from './sso-requests';
import { DEMO_SSO_ORIGIN } from '../core/sso/issuer-bridge';
import { dataDirFromArgs } from './launch-options';

const customDataDir = dataDirFromArgs(process.argv);
let shell: KioskShell | null = null;

// A custom data dir gets its own Chromium profile as well, so a test run shares neither
// the single-instance lock nor web storage with an installed kiosk or another run.
if (customDataDir) app.setPath('userData', path.join(customDataDir, 'electron'));

// IT's commands (--check-config, --set-secret, …) run without a window, then exit.
if (isCliInvocation(process.argv)) {
  void runKioskCli(process.argv, cliIo(), { secrets: new KeytarSecretStore(), random: cryptoRandom, version: __KIOSK_VERSION__ }).then((code) => app.exit(code));
} else {
  launchKiosk();
}

function launchKiosk(): void {
  registerKioskScheme();
  // One kiosk per device: a second launch (a double tap on the icon) only brings it forward.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => shell?.bringForward());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      logger().error('kiosk failed to start', { error: message });
      if (error instanceof ConfigError) dialog.showErrorBox('Frontline Kiosk cannot start', message);
      app.exit(1);
    });
}

/**
 * No configuration (or `--demo`) means the offline demo; a configuration that exists but
 * is wrong stops the kiosk with a message naming the field — never a quiet fall back.
 */
function chooseSetup(): KioskSetup {
  if (process.argv.includes('--demo')) return { mode: 'demo' };
  const config = loadKioskConfig(locateConfig(process.argv));
  return config ? { mode: 'live', config } : { mode: 'demo' };
}

let log: ReturnType<typeof fileLogger> | null = null;
function logger() {
  log ??= fileLogger({ dir: app.getPath('logs'), level: 'info' });
  return log;
}

function cliIo() {
  return {
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
}

async function start(): Promise<void> {
  const setup = chooseSetup();
  if (setup.mode === 'live') log = fileLogger({ dir: app.getPath('logs'), level: setup.config.logLevel });
  // main.js and preload.js are bundled side by side into dist/main, next to dist/renderer.
  const rendererDir = path.join(__dirname, '..', 'renderer');
  // The core takes the shell's app launcher, wipe and exit now; `shell.start` makes the
  // window they act on once the kiosk exists.
  const kioskShell = new KioskShell({ rendererDir, preload: path.join(__dirname, 'preload.js'), devTools: !app.isPackaged, log: logger() });
  shell = kioskShell;
  const kiosk = await createKiosk(setup, {
    // Demo and live keep separate databases: a demo on a live kiosk never touches its data.
    dataDir: customDataDir ?? path.join(app.getPath('userData'), setup.mode),
    version: __KIOSK_VERSION__,
    logDir: app.getPath('logs'),
    log: logger(),
    appLauncher: kioskShell.appLauncher,
    wipeSession: kioskShell.wipeSession,
    exitKiosk: kioskShell.exitKiosk,
    // Bundled beside main.js: the directory sync runs there, off the thread serving the screen.
    syncWorkerFile: path.join(__dirname, 'sync-worker.js'),
  });
  handleKioskScheme(rendererDir);
  // The built-in pages live on the demo origin, so it is where they are redirected back to.
  const issuer = partitionIssuerOf(setup);
  if (issuer) kioskShell.serveSingleSignOn(partitionIssuer(issuer, () => kiosk.sso.endpoint(issuer, DEMO_SSO_ORIGIN)));
  app.once('will-quit', () => {
    kioskShell.close();
    kiosk.close();
  });
  await kioskShell.start(kiosk);
}
