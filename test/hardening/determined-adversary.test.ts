import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { silentLogger } from '../../src-main/core/base/log';
import { deviceConfigSchema, type DeviceConfigInput } from '../../src-main/core/config/device-config';
import { adminPinMatches, hashAdminPin } from '../../src-main/core/idp/admin-pin';
import { createKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import type { SmsMessage, SmsSender } from '../../src-main/core/sms/sms-sender';
import { openKioskStore } from '../../src-main/core/store/kiosk-store';
import { FakeClock, seededRandom, tempDir } from '../fakes';
import { FakeStopwatch, openDemoKiosk } from '../core/kiosk-harness';
import { startLoopbackServer, type LoopbackServer } from '../core/sms/loopback-server';
import { sign, snapshotFeed, trustedPublicPem } from '../core/sync/feed/feed-fixtures';
import { openPreviewTransport, type PreviewTransport } from './preview-transport';

/**
 * Issue #12: the kiosk attacked as a determined adversary would — bursts of parallel
 * calls over the real transport, restarts between attempts, an SMS gateway that is up,
 * down, slow or hanging — one block per numbered finding. Time is the fake clock and the
 * fake stopwatch throughout: the start deadlines compared are the values the kiosk chose.
 */

const ALEX = '+1 206 555 0100';
const PRIYA = '+1 206 555 0101';
const SAM = '+1 206 555 0102';
const MEI = '+1 206 555 0103';
const JORDAN_DISABLED = '+1 206 555 0104';
const NOBODY = '+1 206 555 0199';
const MINUTE = 60_000;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function transport(options: Parameters<typeof openDemoKiosk>[0] = {}): Promise<PreviewTransport> {
  const t = await openPreviewTransport(await openDemoKiosk(options));
  cleanups.push(() => t.close());
  return t;
}

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const tally = (results: Array<Result<unknown>>) => results.reduce<Record<string, number>>((t, r) => ({ ...t, [codeOf(r)]: (t[codeOf(r)] ?? 0) + 1 }), {});
const challengeOf = (r: Result<SessionView>) => {
  if (!r.ok || r.value.state !== 'challenge') throw new Error(`no challenge: ${JSON.stringify(r)}`);
  return r.value;
};
/** A reply without what is unique to each call (its id and times): what a prober compares. */
const shape = (r: Result<SessionView>) => (r.ok && r.value.state === 'challenge' ? { state: 'challenge', late: r.value.textsMayBeLate ?? false } : r.ok ? r.value : r.error.code);
const settled = (kiosk: Kiosk) => kiosk._textsSettled();

/** A demo kiosk in a folder that outlives it, reopened as after a restart. */
async function restartable(smsSender?: SmsSender) {
  const folder = tempDir();
  cleanups.push(() => folder.remove());
  const clock = new FakeClock();
  let t = await openPreviewTransport(await openDemoKiosk({ dataDir: folder.dir, clock, smsSender }));
  cleanups.push(() => t.close());
  return {
    get t() {
      return t;
    },
    restart: async () => {
      await t.close();
      t = await openPreviewTransport(await openDemoKiosk({ dataDir: folder.dir, clock, smsSender }));
    },
  };
}

describe('1. the admin PIN', () => {
  it('checks exactly five of 500 wrong PINs sent at once, and the lock survives a restart and doubles', async () => {
    const k = await restartable();
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => k.t.call('admin.open', { pin: String(1000 + i) })));
    const checked = k.t.h.kiosk.audit.query({ types: ['admin.action'], outcome: 'failure', limit: 1000 }).length;
    expect({ checked, ...tally(replies) }).toEqual({ checked: 5, 'admin.wrongPin': 4, 'admin.locked': 496 });
    await k.restart();
    expect(codeOf(await k.t.call('admin.open', { pin: '2468' }))).toBe('admin.locked');
    k.t.h.clock.advance(5 * MINUTE);
    const second = await Promise.all(Array.from({ length: 500 }, (_, i) => k.t.call('admin.open', { pin: String(3000 + i) })));
    expect(tally(second)).toEqual({ 'admin.wrongPin': 4, 'admin.locked': 496 });
    const lock = second.find((r) => !r.ok && r.error.code === 'admin.locked' && r.error.retryAt);
    expect(!lock!.ok && lock!.error.retryAt! - k.t.h.clock.now()).toBe(10 * MINUTE);
  }, 120_000);

  it('does not open for the right PIN hidden in a burst of 1,000', async () => {
    const t = await transport();
    const pins = Array.from({ length: 1000 }, (_, i) => (i === 500 ? '2468' : String(5000 + i)));
    const replies = await Promise.all(pins.map((pin) => t.call('admin.open', { pin })));
    expect(tally(replies)['ok'] ?? 0).toBe(0);
    expect(codeOf(await t.call('admin.status', {}))).toBe('admin.closed');
  }, 120_000);

  it('hashes at OWASP scrypt parameters (N=2^17, r=8, p=1) and still verifies the older N=2^15 hashes', async () => {
    const stored = await hashAdminPin('482913', seededRandom('pin'));
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(await adminPinMatches('482913', stored)).toBe(true);
    const demo = 'scrypt$32768$8$1$Idt7ulNePWjqzgURAOAjEQ==$nCgvRCjVYPOIRbWJgCsy6GElP+cFypthTwSCQyTnwAg=';
    expect(await adminPinMatches('2468', demo)).toBe(true);
  });
});

/** An SMS gateway on loopback that the test switches between up, down, slow and hanging. */
type GatewayMode = 'up' | 'down' | 'slow' | 'hanging';

async function liveKiosk() {
  const folder = tempDir('kiosk-adversary-');
  const feedFile = path.join(folder.dir, 'feed.json');
  const state = { mode: 'up' as GatewayMode };
  const gateway: LoopbackServer = await startLoopbackServer((_request, response) => {
    if (state.mode === 'up') response.writeHead(202).end();
    else if (state.mode === 'down') response.writeHead(503).end();
    else if (state.mode === 'slow') setTimeout(() => response.writeHead(202).end(), 200);
    // hanging: never answers
  });
  const secrets = new MemorySecretStore();
  await secrets.set('sms-gateway-secret', 'gateway-shared-secret');
  await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
  const config: DeviceConfigInput = {
    deviceName: 'Till 3',
    directory: { source: 'feed', feed: { location: feedFile, publicKey: trustedPublicPem } },
    sms: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-gateway-secret', timeoutMs: 1_000 },
  };
  const clock = new FakeClock();
  const stopwatch = new FakeStopwatch();
  const kiosk = await createKiosk(
    { mode: 'live', config: deviceConfigSchema.parse(config) },
    { dataDir: folder.dir, version: 'test', clock, scheduler: clock, random: seededRandom('live'), secrets, stopwatch, log: silentLogger },
  );
  cleanups.push(() => folder.remove(), () => gateway.close(), () => kiosk.close());
  const publish = async (cursor: string, change?: Parameters<typeof snapshotFeed>[1]) => {
    const signed = await sign(snapshotFeed(cursor, change));
    writeFileSync(feedFile, signed.body);
    writeFileSync(`${feedFile}.jws`, signed.jws!);
  };
  const syncNow = async () => {
    expect(codeOf(await kiosk.handlers['admin.open']({ pin: '482913' }))).toBe('ok');
    return kiosk.handlers['admin.syncNow']({});
  };
  await publish('c1');
  await syncNow();
  const start = (phone: string) => kiosk.handlers['signIn.start']({ phone }) as Promise<Result<SessionView>>;
  return { kiosk, clock, stopwatch, gateway, state, publish, syncNow, start, feedFile };
}

describe('2. an SMS outage', () => {
  it('answers a registered number exactly as an unregistered one whether the gateway is up, down, slow or hanging, and counts every probe', async () => {
    const live = await liveKiosk();
    const eligible = [ALEX, PRIYA, SAM];
    const refused = [JORDAN_DISABLED, '+1 206 555 0105', NOBODY];
    const differences: string[] = [];
    for (const mode of ['up', 'down', 'slow', 'hanging'] as const) {
      live.state.mode = mode;
      // Stopwatch readings step by this much: a hanging text is overdue at the next reading.
      live.stopwatch.sendTakesMs = mode === 'slow' ? 1_500 : mode === 'hanging' ? 5_000 : 20;
      live.clock.advance(16 * MINUTE);
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < eligible.length; i += 1) {
          const events: unknown[] = [];
          const off = live.kiosk.events.on('session.changed', (view) => events.push(view.state));
          // The unregistered number first: the registered one's own text must not be what differs.
          const before = live.stopwatch.sleeps.length;
          const no = await live.start(refused[i]!);
          const noWaited = live.stopwatch.sleeps.slice(before);
          const yes = await live.start(eligible[i]!);
          const yesWaited = live.stopwatch.sleeps.slice(before + noWaited.length);
          off?.();
          if (JSON.stringify(shape(yes)) !== JSON.stringify(shape(no))) differences.push(`${mode}: ${JSON.stringify(shape(yes))} vs ${JSON.stringify(shape(no))}`);
          if (JSON.stringify(yesWaited) !== JSON.stringify(noWaited)) differences.push(`${mode}: waited ${yesWaited} vs ${noWaited}`);
          if (events.length !== 2 || events[0] !== events[1]) differences.push(`${mode}: events ${JSON.stringify(events)}`);
          if (mode !== 'hanging') await settled(live.kiosk);
        }
      }
    }
    expect(differences).toEqual([]);
    // The audit log keeps the truth.
    expect(live.kiosk.audit.query({ types: ['sms.send'], outcome: 'failure', limit: 100 }).map((e) => e.reason)).toContain('http-503');
  }, 60_000);

  it('counts a probe during an outage: the sixth start on a number within 15 minutes is refused, as for any number', async () => {
    const live = await liveKiosk();
    live.state.mode = 'down';
    const replies: Array<Result<SessionView>> = [];
    for (let i = 0; i < 20; i += 1) {
      replies.push(await live.start(ALEX));
      await settled(live.kiosk);
    }
    expect(tally(replies)).toEqual({ ok: 5, 'sms.tooManySends': 15 });
  });
});

describe('3. the per-kiosk hourly cap', () => {
  /** 59 texts in the hour, then `probe`, then a canary on a fresh number: what the canary gets. */
  async function canaryAfter(probe: string): Promise<string> {
    const t = await transport();
    const texted = [ALEX, PRIYA, SAM, MEI];
    for (let i = 0; i < 59; i += 1) {
      if (i > 0 && i % 20 === 0) t.h.clock.advance(15 * MINUTE + 1_000);
      expect(codeOf(await t.call('signIn.start', { phone: texted[i % 4] }))).toBe('ok');
    }
    await t.call('signIn.start', { phone: probe });
    const canary = await t.call('signIn.start', { phone: '+1 206 555 0198' });
    return JSON.stringify(canary.ok ? 'ok' : { code: canary.error.code, in: canary.error.retryAt! - t.h.clock.now() });
  }

  it('tells a canary the same whether the probe before it was registered or not', async () => {
    expect(await canaryAfter(MEI)).toBe(await canaryAfter(NOBODY));
  });
});

describe('4. signing in during the sign-out wipe', () => {
  it('answers busy while the wipe runs, leaves no open session row, and the next sign-in works', async () => {
    let finishWipe = () => undefined as void;
    const t = await transport({ wipeSession: () => new Promise<void>((resolve) => (finishWipe = resolve)) });
    const signIn = async (phone: string) => {
      const started = await t.call<SessionView>('signIn.start', { phone });
      if (!started.ok || started.value.state !== 'challenge') return started;
      return t.call<SessionView>('signIn.verify', { challengeId: started.value.challengeId, code: t.h.lastCode() });
    };
    expect(codeOf(await signIn(ALEX))).toBe('ok');
    const signingOut = t.call('session.signOut', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await Promise.all(Array.from({ length: 500 }, () => t.call<SessionView>('signIn.start', { phone: PRIYA })));
    finishWipe();
    await signingOut;
    const db = new Database(path.join(t.h.dataDir, 'kiosk.db'), { readonly: true });
    const openRows = db.prepare('SELECT count(*) FROM sessions WHERE ended_at IS NULL').pluck().get();
    db.close();
    expect({ openRows, ...tally(during) }).toEqual({ openRows: 0, 'session.busy': 500 });
    expect(codeOf(await signIn(SAM))).toBe('ok');
  });
});

/** Two-sample Kolmogorov–Smirnov statistic: 0 when the two samples have the same distribution. */
function ksStatistic(a: number[], b: number[]): number {
  const points = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const cdf = (sample: number[], x: number) => sample.filter((v) => v <= x).length / sample.length;
  return Math.max(0, ...points.map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
}

describe('5. how long a start takes', () => {
  it('chooses the same deadline for registered and unregistered numbers, provider fast or slow, across a restart', async () => {
    // The provider answers only when the test says, so both starts of a pair see the same history.
    const waiting: Array<() => void> = [];
    const gated: SmsSender = { provider: 'gated', send: () => new Promise((resolve) => waiting.push(resolve)) };
    const k = await restartable(gated);
    const deadlines = { registered: [] as number[], unregistered: [] as number[] };
    const registered = [ALEX, PRIYA, SAM, MEI];
    for (const sendTakesMs of [40, 340, 2_500]) {
      for (let i = 0; i < 24; i += 1) {
        k.t.h.stopwatch.sendTakesMs = sendTakesMs;
        k.t.h.clock.advance(4 * MINUTE);
        // Which goes first alternates; the texts of both are settled only after both answered.
        const pair = [
          ['registered', registered[i % 4]!],
          ['unregistered', `+1 206 555 ${String(200 + i).padStart(4, '0')}`],
        ] as const;
        for (const [kind, phone] of i % 2 === 0 ? pair : [...pair].reverse()) {
          const before = k.t.h.stopwatch.sleeps.length;
          const started = await k.t.call<SessionView>('signIn.start', { phone });
          challengeOf(started);
          deadlines[kind].push(k.t.h.stopwatch.sleeps.slice(before).reduce((sum, ms) => sum + ms, 0));
        }
        for (const answer of waiting.splice(0)) answer();
        await settled(k.t.h.kiosk);
        if (i === 12) await k.restart();
      }
    }
    expect(ksStatistic(deadlines.registered, deadlines.unregistered)).toBe(0);
    expect(Math.min(...deadlines.unregistered)).toBeGreaterThanOrEqual(800);
  });
});

describe('7. a demo restart', () => {
  it('keeps the per-number cap and the lock of a number nobody holds', async () => {
    const k = await restartable();
    for (let i = 0; i < 5; i += 1) challengeOf(await k.t.call<SessionView>('signIn.start', { phone: NOBODY }));
    await k.restart();
    expect(codeOf(await k.t.call('signIn.start', { phone: NOBODY }))).toBe('sms.tooManySends');
    k.t.h.clock.advance(16 * MINUTE);
    for (let wrong = 0; wrong < 10; ) {
      const { challengeId } = challengeOf(await k.t.call<SessionView>('signIn.start', { phone: '+1 206 555 0197' }));
      for (let i = 0; i < 5 && wrong < 10; i += 1, wrong += 1) await k.t.call('signIn.verify', { challengeId, code: '000000' });
    }
    await k.restart();
    expect(codeOf(await k.t.call('signIn.start', { phone: '+1 206 555 0197' }))).toBe('signIn.locked');
  });
});

describe('8. the resend cooldown', () => {
  it('sends one text for 500 resends at once after the cooldown, even from a slow provider', async () => {
    const texts: SmsMessage[] = [];
    const slow: SmsSender = { provider: 'slow', send: (message) => new Promise((resolve) => setTimeout(() => resolve(void texts.push(message)), 300)) };
    const t = await transport({ smsSender: slow });
    const { challengeId } = challengeOf(await t.call<SessionView>('signIn.start', { phone: ALEX }));
    await settled(t.h.kiosk);
    t.h.clock.advance(31_000);
    const replies = await Promise.all(Array.from({ length: 500 }, () => t.call<SessionView>('signIn.resend', { challengeId })));
    await settled(t.h.kiosk);
    expect({ texts: texts.length, ...tally(replies) }).toEqual({ texts: 2, ok: 1, 'sms.resendTooSoon': 499 });
  });
});

describe('9. challenges of numbers nobody holds', () => {
  it('keep no full number, and are swept on a timer after they expire', async () => {
    const t = await transport();
    challengeOf(await t.call<SessionView>('signIn.start', { phone: NOBODY }));
    const count = (sql: string) => {
      const db = new Database(path.join(t.h.dataDir, 'kiosk.db'), { readonly: true });
      const n = db.prepare(sql).pluck().get();
      db.close();
      return n;
    };
    expect(count("SELECT count(*) FROM challenges WHERE phone_number = '+12065550199'")).toBe(0);
    t.h.clock.advance(30 * MINUTE);
    expect(count('SELECT count(*) FROM challenges')).toBe(0);
  });
});

describe('6. directory feeds', () => {
  it('refuses a feed dated more than 5 minutes ahead, so the revocation after it still applies', async () => {
    const live = await liveKiosk();
    const future = new Date(live.clock.now() + 24 * 60 * MINUTE).toISOString();
    await live.publish('c2', (feed) => (feed.generatedAt = future));
    expect(await live.syncNow()).toMatchObject({ ok: true, value: { lastSync: { ok: false } } });
    await live.publish('c3', (feed) => {
      feed.generatedAt = new Date(live.clock.now()).toISOString();
      feed.users[0]!.accountEnabled = false;
    });
    expect(await live.syncNow()).toMatchObject({ ok: true, value: { lastSync: { ok: true } } });
    challengeOf(await live.start(ALEX));
    await settled(live.kiosk);
    expect(live.gateway.requests).toHaveLength(0);
  });

  it('stops sign-in once the directory is older than maxDirectoryAgeHours (72), and the admin screen says how old it is', async () => {
    const live = await liveKiosk();
    const syncedAt = live.clock.now();
    writeFileSync(live.feedFile, 'cut');
    live.clock.advance(72 * 60 * MINUTE + MINUTE);
    expect(codeOf(await live.start(ALEX))).toBe('kiosk.directoryTooOld');
    expect(codeOf(await live.start(NOBODY))).toBe('kiosk.directoryTooOld');
    await live.kiosk.handlers['admin.open']({ pin: '482913' });
    expect(await live.kiosk.handlers['admin.status']({})).toMatchObject({ ok: true, value: { directorySyncedAt: syncedAt, directoryTooOld: true } });
  }, 60_000); // 72 hours of failing sync attempts on the fake clock: slow on a loaded machine
});

describe('12. power loss', () => {
  it('writes the guessing and sending counters with synchronous = FULL', () => {
    const folder = tempDir();
    cleanups.push(() => folder.remove());
    const store = openKioskStore(folder.dir);
    cleanups.push(() => store.close());
    const level = () => store.db.pragma('synchronous', { simple: true });
    expect(store.durably(level)).toBe(2);
    expect(store.transaction(level)).toBe(1);
  });
});

describe('13. a hostile language tag', () => {
  // Found in review: `language` picked the text's template by plain property lookup, so a tag
  // like "constructor" broke only where a real code was written — a registered number.
  it('answers a registered number exactly as an unregistered one, whatever the language tag', async () => {
    const t = await transport();
    const differences: string[] = [];
    for (const language of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf-XX', 'es']) {
      const no = await t.call('signIn.start', { phone: NOBODY, language });
      await t.call('signIn.cancel', {});
      const yes = await t.call('signIn.start', { phone: ALEX, language });
      await t.call('signIn.cancel', {});
      const [y, n] = [shape(yes as Result<SessionView>), shape(no as Result<SessionView>)];
      if (JSON.stringify(y) !== JSON.stringify(n)) differences.push(`${language}: ${JSON.stringify(y)} vs ${JSON.stringify(n)}`);
    }
    expect(differences).toEqual([]);
  });

  it('refuses a tag that is not a language, naming the field', async () => {
    const t = await transport();
    const reply = await t.call('signIn.start', { phone: NOBODY, language: 'constructor' });
    expect(reply.ok ? 'ok' : `${reply.error.code}: ${reply.error.message}`).toBe('input.invalid: signIn.start: language: A language is a tag like en, es or es-MX');
  });
});
