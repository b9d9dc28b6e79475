import { createDemoKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/base/log';
import type { SecretStore } from '../../src-main/core/secrets/secret-store';
import type { Stopwatch } from '../../src-main/core/idp/send-timing';
import type { SmsSender } from '../../src-main/core/sms/sms-sender';
import type { AppLauncher } from '../../src-main/core/session/app-launcher';
import type { DemoSms, SignOutReason } from '../../shared/contract';
import { FakeClock, seededRandom, tempDir } from '../fakes';

/** Monotonic time that moves with the fake clock, and records waits instead of sleeping. */
export class FakeStopwatch implements Stopwatch {
  readonly sleeps: number[] = [];
  /** How long the next measured operation appears to take. */
  sendTakesMs = 0;
  private elapsed = 0;
  /** Each reading is `sendTakesMs` after the last, so a measured send takes exactly that. */
  now(): number {
    this.elapsed += this.sendTakesMs;
    return this.elapsed;
  }
  /** While true, waits last until `release()`: the test decides when a start answers. */
  hold = false;
  private readonly held: Array<() => void> = [];
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }
  /** Ends the waits held so far, oldest first (or only the one at `index`). */
  release(index?: number): void {
    if (index === undefined) for (const resolve of this.held.splice(0)) resolve();
    else this.held[index]?.();
  }
}

let openings = 0;

export interface DemoKioskHarness {
  kiosk: Kiosk;
  clock: FakeClock;
  stopwatch: FakeStopwatch;
  dataDir: string;
  texts: DemoSms[];
  /** The code in the newest demo text. */
  lastCode(): string;
  reopen(): Promise<DemoKioskHarness>;
  close(): void;
}

/** A demo kiosk on a real SQLite file in a fresh directory, with fake time and randomness. */
export async function openDemoKiosk(
  options: {
    dataDir?: string;
    clock?: FakeClock;
    secrets?: SecretStore;
    smsSender?: SmsSender;
    wipeSession?: (reason: SignOutReason) => Promise<void>;
    appLauncher?: AppLauncher;
    exitKiosk?: () => void;
  } = {},
): Promise<DemoKioskHarness> {
  const temp = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const clock = options.clock ?? new FakeClock();
  const stopwatch = new FakeStopwatch();
  const kiosk = await createDemoKiosk({
    dataDir,
    version: '0.0.0-test',
    clock,
    scheduler: clock,
    // A fresh seed per opening: a restarted kiosk must not draw the same challenge ids again.
    random: seededRandom(`${dataDir}:${(openings += 1)}`),
    log: silentLogger,
    secrets: options.secrets,
    smsSender: options.smsSender,
    wipeSession: options.wipeSession,
    appLauncher: options.appLauncher,
    exitKiosk: options.exitKiosk,
    stopwatch,
  });
  const texts: DemoSms[] = [];
  kiosk.events.on('demo.sms', (sms) => texts.unshift(sms));
  return {
    kiosk,
    clock,
    stopwatch,
    dataDir,
    texts,
    lastCode: () => /\b(\d{6})\b/.exec(texts[0]?.body ?? '')?.[1] ?? '',
    reopen: async () => {
      kiosk.close();
      return openDemoKiosk({ ...options, dataDir, clock });
    },
    close: () => {
      kiosk.close();
      temp?.remove();
    },
  };
}
