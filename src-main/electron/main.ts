import path from 'node:path';
import { app } from 'electron';
import { createDemoKiosk } from '../core/kiosk';
import { consoleLogger } from '../core/log';
import { handleKioskScheme, registerKioskScheme } from './app-protocol';
import { KioskShell } from './kiosk-shell';
import { dataDirFromArgs } from './launch-options';

const log = consoleLogger;
const customDataDir = dataDirFromArgs(process.argv);
let shell: KioskShell | null = null;

// A custom data dir gets its own Chromium profile as well, so a test run shares neither
// the single-instance lock nor web storage with an installed kiosk or another run.
if (customDataDir) app.setPath('userData', path.join(customDataDir, 'electron'));

registerKioskScheme();

// One kiosk per device: a second launch (a double tap on the icon) only brings it forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => shell?.bringForward());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('kiosk failed to start', { error: error instanceof Error ? error.message : String(error) });
      app.exit(1);
    });
}

async function start(): Promise<void> {
  // main.js and preload.js are bundled side by side into dist/main, next to dist/renderer.
  const rendererDir = path.join(__dirname, '..', 'renderer');
  // The core takes the shell's app launcher, wipe and exit now; `shell.start` makes the
  // window they act on once the kiosk exists.
  const kioskShell = new KioskShell({ rendererDir, preload: path.join(__dirname, 'preload.js'), devTools: !app.isPackaged, log });
  shell = kioskShell;
  // Only offline demo mode exists so far (DESIGN.md: no config means demo mode).
  const kiosk = await createDemoKiosk({
    dataDir: customDataDir ?? path.join(app.getPath('userData'), 'demo'),
    version: __KIOSK_VERSION__,
    log,
    appLauncher: kioskShell.appLauncher,
    wipeSession: kioskShell.wipeSession,
    exitKiosk: kioskShell.exitKiosk,
  });
  handleKioskScheme(rendererDir);
  app.once('will-quit', () => {
    kioskShell.close();
    kiosk.close();
  });
  await kioskShell.start(kiosk);
}
