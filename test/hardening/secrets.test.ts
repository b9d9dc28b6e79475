import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect as pageExpect } from '@playwright/test';
import { chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DemoSms, SessionView } from '../../shared/contract';
import { createDemoKiosk } from '../../src-main/core/kiosk';
import type { Logger } from '../../src-main/core/base/log';
import { ADMIN_PIN_HASH } from '../../src-main/core/idp/admin-pin';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { CODE_HMAC_KEY, PHONE_HMAC_KEY } from '../../src-main/core/secrets/secret-store';
import { databaseFilesOf } from '../../src-main/core/store/database';
import { chromiumArgs, chromiumExecutable } from '../chromium-path';
import { FakeStopwatch, type DemoKioskHarness } from '../core/kiosk-harness';
import { codeFromDemoPhone, tapNumber } from '../e2e/kiosk-page';
import { FakeClock, seededRandom, tempDir } from '../fakes';
import { openPreviewTransport, type PreviewTransport } from './preview-transport';

/**
 * After a full demo session — a sign-in with a wrong code and a resend, then sign-out — no
 * code, HMAC key or other secret is left anywhere it could be read later: not in the
 * database file or its WAL, not in the logs, not in anything the renderer was sent, and
 * not in the browser's storage or profile. Each is checked as bytes, in the encodings
 * secrets are written in (text, base64, hex, UTF-16).
 */

interface Needle {
  name: string;
  /** The byte patterns that would give it away. */
  forms: Buffer[];
  /** A 6-digit code: found only as a number of its own, not inside a longer run of digits. */
  digits?: boolean;
}

/** A key as it could leak: raw, base64, base64url, hex; each text form also as UTF-16. */
function keyNeedle(name: string, base64: string): Needle {
  const raw = Buffer.from(base64, 'base64');
  const texts = [base64, raw.toString('base64url'), raw.toString('hex')];
  return { name, forms: [raw, ...texts.flatMap((text) => [Buffer.from(text), Buffer.from(text, 'utf16le')])] };
}

function codeNeedle(name: string, code: string): Needle {
  return { name, forms: [Buffer.from(code), Buffer.from(code, 'utf16le')], digits: true };
}

function textNeedle(name: string, text: string): Needle {
  return { name, forms: [Buffer.from(text), Buffer.from(text, 'utf16le')] };
}

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** Where each needle turns up in `haystack` (named `where`). */
function findNeedles(where: string, haystack: Buffer, needles: readonly Needle[]): string[] {
  const found: string[] = [];
  for (const needle of needles) {
    for (const form of needle.forms) {
      const step = needle.digits && form.length === 12 ? 2 : 1;
      for (let at = haystack.indexOf(form); at !== -1; at = haystack.indexOf(form, at + 1)) {
        // A code inside a longer number (a phone number, a timestamp) is not the code.
        if (needle.digits && (isDigit(haystack[at - step]) || isDigit(haystack[at + form.length]))) continue;
        found.push(`${needle.name} in ${where} at byte ${at}`);
        break;
      }
    }
  }
  return found;
}

/** Every file under `dir`, read whole. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile())
    .map((file) => ({ file, bytes: readFileSync(file) }));
}

describe('the byte search', () => {
  it('finds a key in every form it looks for, and a code only as a number of its own', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const needle = keyNeedle('a key', key);
    for (const form of [Buffer.alloc(32, 7), Buffer.from(key), Buffer.from(Buffer.alloc(32, 7).toString('hex')), Buffer.from(key, 'utf16le')]) {
      expect(findNeedles('a file', Buffer.concat([Buffer.from('before'), form, Buffer.from('after')]), [needle])).not.toEqual([]);
    }
    const code = codeNeedle('the code', '123456');
    expect(findNeedles('a file', Buffer.from('your code is 123456.'), [code])).toHaveLength(1);
    expect(findNeedles('a file', Buffer.from('your code is 1\u00002\u00003\u00004\u00005\u00006\u0000.', 'latin1'), [code])).toHaveLength(1);
    expect(findNeedles('a file', Buffer.from('+14412345678 at 1712345690'), [code])).toEqual([]);
  });
});

describe('secrets after a demo session through the preview transport', () => {
  let t: PreviewTransport | undefined;
  afterEach(async () => {
    await t?.close();
    vi.restoreAllMocks();
  });

  it('leave no code, HMAC key or PIN hash in the database, its WAL, the logs or any reply the renderer got', async () => {
    const logged: string[] = [];
    const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const log: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error') };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(`console.${method} ${args.map(String).join(' ')}`));
    }

    const temp = tempDir('kiosk-secrets-');
    const clock = new FakeClock();
    const secrets = new MemorySecretStore();
    const stopwatch = new FakeStopwatch();
    const kiosk = await createDemoKiosk({ dataDir: temp.dir, version: '0.0.0-test', clock, scheduler: clock, random: seededRandom('secrets'), secrets, log, stopwatch });
    const texts: DemoSms[] = [];
    kiosk.events.on('demo.sms', (sms) => texts.unshift(sms));
    const lastCode = () => /\b(\d{6})\b/.exec(texts[0]?.body ?? '')?.[1] ?? '';
    const harness: DemoKioskHarness = {
      kiosk,
      clock,
      stopwatch,
      dataDir: temp.dir,
      texts,
      lastCode,
      reopen: () => Promise.reject(new Error('not reopened here')),
      close: () => kiosk.close(),
    };
    t = await openPreviewTransport(harness);
    const replies: string[] = [];
    const call = async (name: string, input: unknown) => {
      const reply = await t!.post(name, JSON.stringify(input));
      replies.push(reply.body);
      return JSON.parse(reply.body) as { ok: boolean; value: SessionView & { challengeId: string } };
    };

    // The session: a number, a wrong code, a resend, the right code, the admin screen's audit view, sign-out.
    const started = await call('signIn.start', { phone: '+1 206 555 0100' });
    const code = lastCode();
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await call('signIn.verify', { challengeId: started.value.challengeId, code: wrong })).ok).toBe(false);
    clock.advance(30_000);
    expect((await call('signIn.resend', { challengeId: started.value.challengeId })).ok).toBe(true);
    expect(texts).toHaveLength(2);
    expect((await call('signIn.verify', { challengeId: started.value.challengeId, code })).value.state).toBe('active');
    await call('apps.list', {});
    expect((await call('session.signOut', {})).value.state).toBe('ready');
    await call('admin.open', { pin: '2468' });
    await call('admin.audit', { limit: 200 });
    await call('admin.close', {});

    const storeFile = path.join(temp.dir, 'kiosk.db');
    const reader = new Database(storeFile, { readonly: true });
    const hmacs = reader.prepare<[], { code_hmac: Buffer | null }>('SELECT code_hmac FROM challenges').all();
    reader.close();
    expect(hmacs.length).toBeGreaterThan(0);

    const keys = [keyNeedle('the code HMAC key', (await secrets.get(CODE_HMAC_KEY))!), keyNeedle('the phone HMAC key', (await secrets.get(PHONE_HMAC_KEY))!)];
    const pinHash = (await secrets.get(ADMIN_PIN_HASH))!;
    const secretNeedles = [...keys, textNeedle('the admin PIN hash', pinHash), textNeedle('the admin PIN hash', pinHash.split('$').at(-1)!), codeNeedle('the code', code), codeNeedle('the wrong code typed', wrong)];
    // The store keeps the code's HMAC by design; nothing else may.
    const hmacNeedles = hmacs.filter((row) => row.code_hmac).map((row) => keyNeedle("a code's HMAC", row.code_hmac!.toString('base64')));

    // Both files of the store: the kiosk's and the directory's own.
    const whileOpen = databaseFilesOf(storeFile).flatMap((file) => {
      const name = path.basename(file);
      return existsSync(file) ? findNeedles(`${name} (kiosk running)`, readFileSync(file), secretNeedles) : [];
    });
    const found = [
      ...whileOpen,
      ...findNeedles('the logs', Buffer.from(logged.join('\n')), [...secretNeedles, ...hmacNeedles]),
      ...findNeedles('the replies to the renderer', Buffer.from(replies.join('\n')), [...secretNeedles, ...hmacNeedles]),
    ];
    await t.close();
    t = undefined;
    const closedFiles = filesUnder(temp.dir);
    temp.remove();
    found.push(...closedFiles.flatMap(({ file, bytes }) => findNeedles(`${path.basename(file)} (kiosk closed)`, bytes, secretNeedles)));
    expect(found).toEqual([]);
    // The search sees what is there: the directory's numbers are in the file, in the clear.
    expect(closedFiles.flatMap(({ file, bytes }) => findNeedles(path.basename(file), bytes, [textNeedle('a phone number', '+12065550100')]))).not.toEqual([]);
  });
});

describe('secrets after a demo session in Chromium through the built preview host', () => {
  const previewScript = path.resolve(import.meta.dirname, '../../dist/main/preview.js');
  const work = tempDir('kiosk-secrets-browser-');
  const dataDir = path.join(work.dir, 'data');
  const profileDir = path.join(work.dir, 'profile');
  /** What the session left, gathered once the browser and the host have closed. */
  let left: { code: string; wrong: string; token: string; storage: string; output: string; consoleLines: string; dataFiles: ReturnType<typeof filesUnder>; profileFiles: ReturnType<typeof filesUnder> };

  beforeAll(async () => {
    if (!existsSync(previewScript)) throw new Error(`${previewScript} is missing: build first (node scripts/build.mjs --quiet), as npm test does.`);
    const host = spawn(process.execPath, [previewScript, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    host.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    host.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const hostExited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
    const context = await chromium.launchPersistentContext(profileDir, { executablePath: chromiumExecutable(), args: chromiumArgs, headless: true, viewport: { width: 1100, height: 900 } });
    try {
      await pageExpect.poll(() => /^Kiosk preview: (\S+)$/m.exec(output)?.[1], { timeout: 20_000 }).toBeTruthy();
      const url = /^Kiosk preview: (\S+)$/m.exec(output)![1]!;
      const page = context.pages()[0] ?? (await context.newPage());
      const consoleLines: string[] = [];
      page.on('console', (message) => consoleLines.push(message.text()));
      await page.goto(url);
      const code = await demoSession(page);
      const storage = JSON.stringify({ storage: await page.evaluate(readBrowserStorage), cookies: await context.cookies() });
      await context.close();
      host.kill('SIGTERM');
      await hostExited;
      left = {
        code,
        wrong: String((Number(code) + 1) % 1_000_000).padStart(6, '0'),
        token: new URL(url).hash.slice(1),
        storage,
        // The one line the host prints is the URL to open, token and all: that is its interface.
        output: output.replace(`Kiosk preview: ${url}`, ''),
        consoleLines: consoleLines.join('\n'),
        dataFiles: filesUnder(dataDir),
        profileFiles: filesUnder(profileDir),
      };
    } finally {
      await context.close().catch(() => undefined);
      host.kill('SIGKILL');
    }
  }, 120_000);
  afterAll(() => work.remove());

  it('leaves no code, right or wrong, in web storage, IndexedDB, cookies, the browser profile, or the host’s database and output', () => {
    const needles = [codeNeedle('the code', left.code), codeNeedle('the wrong code typed', left.wrong)];
    expect([
      ...findNeedles('web storage, IndexedDB and cookies', Buffer.from(left.storage), needles),
      ...findNeedles('the host’s output', Buffer.from(left.output), needles),
      ...findNeedles('the page’s console', Buffer.from(left.consoleLines), needles),
      ...left.dataFiles.flatMap(({ file, bytes }) => findNeedles(`the host’s ${path.basename(file)}`, bytes, needles)),
      ...left.profileFiles.flatMap(({ file, bytes }) => findNeedles(`the profile’s ${path.relative(profileDir, file)}`, bytes, needles)),
    ]).toEqual([]);
  });

  it('keeps the preview token out of web storage, IndexedDB, cookies, the console and the host’s database and logs', () => {
    const needles = [textNeedle('the preview token', left.token)];
    expect([
      ...findNeedles('web storage, IndexedDB and cookies', Buffer.from(left.storage), needles),
      ...findNeedles('the host’s output', Buffer.from(left.output), needles),
      ...findNeedles('the page’s console', Buffer.from(left.consoleLines), needles),
      ...left.dataFiles.flatMap(({ file, bytes }) => findNeedles(`the host’s ${path.basename(file)}`, bytes, needles)),
    ]).toEqual([]);
  });

  // Found by issue 8's suite: the token rides in the URL fragment, which the page keeps, so
  // Chromium records it in History, Favicons, Top Sites and Sessions. It dies with the host,
  // but until then anyone who can read the profile can call the kiosk. The renderer would
  // have to drop the fragment once read; until it does, this is expected to fail.
  it.fails('keeps the preview token out of the browser profile', () => {
    const needles = [textNeedle('the preview token', left.token)];
    expect(left.profileFiles.flatMap(({ file, bytes }) => findNeedles(`the profile’s ${path.relative(profileDir, file)}`, bytes, needles))).toEqual([]);
  });
});

/** Signs Alex in as a worker would — a wrong code first, then "Resend code" — and out again. Returns the code. */
async function demoSession(page: Page): Promise<string> {
  await tapNumber(page, '2065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = await codeFromDemoPhone(page);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await page.getByLabel('Verification code').fill(wrong);
  await pageExpect(page.getByRole('alert')).toHaveText('That code is not right. 4 tries left.');
  // The resend cooldown is 30 s on the host's real clock.
  await pageExpect(page.getByRole('button', { name: 'Resend code' })).toBeEnabled({ timeout: 40_000 });
  await page.getByRole('button', { name: 'Resend code' }).click();
  await pageExpect(page.getByRole('region', { name: 'Demo phone' }).getByRole('listitem')).toHaveCount(2);
  // The text arrives before the resend answers (which waits for the start deadline).
  await pageExpect(page.getByText(/You can ask for the code again in/)).toBeVisible();
  await page.getByLabel('Verification code').fill(code);
  await pageExpect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await pageExpect(page.getByLabel('Mobile number')).toHaveValue('');
  return code;
}

/** Runs in the page: everything the renderer could have kept — web storage, IndexedDB, cookies. */
async function readBrowserStorage(): Promise<Record<string, unknown>> {
  const entries = (store: Storage) => Object.fromEntries(Array.from({ length: store.length }, (_, i) => store.key(i)!).map((key) => [key, store.getItem(key)]));
  const databases: Record<string, unknown> = {};
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open(name);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    for (const storeName of Array.from(db.objectStoreNames)) {
      databases[`${name}/${storeName}`] = await new Promise((resolve, reject) => {
        const reading = db.transaction(storeName).objectStore(storeName).getAll();
        reading.onsuccess = () => resolve(reading.result);
        reading.onerror = () => reject(reading.error);
      });
    }
    db.close();
  }
  return { localStorage: entries(localStorage), sessionStorage: entries(sessionStorage), indexedDB: databases, cookie: document.cookie };
}
