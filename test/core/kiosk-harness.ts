import { createDemoKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/log';
import type { SecretStore } from '../../src-main/core/secrets/secret-store';
import type { DemoSms } from '../../shared/contract';
import { FakeClock, seededRandom, tempDir } from '../fakes';

export interface DemoKioskHarness {
  kiosk: Kiosk;
  clock: FakeClock;
  dataDir: string;
  texts: DemoSms[];
  /** The code in the newest demo text. */
  lastCode(): string;
  reopen(): Promise<DemoKioskHarness>;
  close(): void;
}

/** A demo kiosk on a real SQLite file in a fresh directory, with fake time and randomness. */
export async function openDemoKiosk(options: { dataDir?: string; clock?: FakeClock; secrets?: SecretStore } = {}): Promise<DemoKioskHarness> {
  const temp = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const clock = options.clock ?? new FakeClock();
  const kiosk = await createDemoKiosk({ dataDir, version: '0.0.0-test', clock, random: seededRandom(dataDir), log: silentLogger, secrets: options.secrets });
  const texts: DemoSms[] = [];
  kiosk.events.on('demo.sms', (sms) => texts.unshift(sms));
  return {
    kiosk,
    clock,
    dataDir,
    texts,
    lastCode: () => /\b(\d{6})\b/.exec(texts[0]?.body ?? '')?.[1] ?? '',
    reopen: async () => {
      kiosk.close();
      return openDemoKiosk({ dataDir, clock, secrets: options.secrets });
    },
    close: () => {
      kiosk.close();
      temp?.remove();
    },
  };
}
