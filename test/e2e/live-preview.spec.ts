import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoTenant } from '../../src-main/core/modes/demo-tenant';
import { FEED_FORMAT, FEED_VERSION } from '../../src-main/core/sync/feed/feed-document';
import { signFeedBytes } from '../../src-main/core/sync/feed/feed-signature';
import { verifyWebhookSignature } from '../../src-main/core/sms/webhook-sender';
import { startLoopbackServer, type LoopbackServer } from '../core/sms/loopback-server';
import { tapNumber } from './kiosk-page';
import { expectToFit } from './touch';

/**
 * IT tries a tenant in a browser before rolling out: `npm run preview -- --config <file>`
 * with a signed feed on a loopback server, texts through a loopback webhook gateway, and the
 * secrets in a real keychain (a private gnome-keyring under its own D-Bus session).
 */

const SIGNING_SECRET = 'gateway-signing-secret-7c1d';
const FEED_PATH = '/store-0142/feed.json';

let feed: LoopbackServer;
let gateway: LoopbackServer;
let texts: Array<{ to: string; body: string }>;
let dir: string;
let host: ChildProcess | null = null;

test.beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kiosk-live-preview-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const tenant = structuredClone(demoTenant);
  // Priya's mobile number cannot be read: she alone is set aside.
  tenant.users![1]!.phoneMethods![0]!.phoneNumber = '12';
  const bytes = Buffer.from(JSON.stringify({ format: FEED_FORMAT, version: FEED_VERSION, kind: 'snapshot', cursor: 'c1', generatedAt: new Date().toISOString(), ...tenant }));
  const jws = await signFeedBytes(bytes, privateKey);
  feed = await startLoopbackServer((request, response) => {
    const url = new URL(request.path, 'http://feed');
    if (url.pathname === FEED_PATH) response.writeHead(200, { 'Content-Type': 'application/json' }).end(bytes);
    else if (url.pathname === `${FEED_PATH}.jws`) response.writeHead(200, { 'Content-Type': 'application/jose' }).end(jws);
    else response.writeHead(404).end();
  });
  texts = [];
  gateway = await startLoopbackServer((request, response) => {
    const ok = verifyWebhookSignature(SIGNING_SECRET, request.headers['x-kiosk-timestamp'] as string, request.body, request.headers['x-kiosk-signature'] as string);
    if (ok) texts.push(JSON.parse(request.body) as { to: string; body: string });
    response.writeHead(ok ? 202 : 401).end();
  });
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      deviceName: 'Store 142 till 3',
      directory: { source: 'feed', feed: { location: `${feed.origin}${FEED_PATH}`, publicKey: publicKey.export({ format: 'jwk' }) } },
      sms: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-webhook-key' },
    }),
  );
});

test.afterEach(async () => {
  if (host?.pid) {
    const exited = new Promise((resolve) => host!.once('exit', resolve));
    process.kill(-host.pid, 'SIGTERM');
    await exited;
  }
  host = null;
  await feed.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the preview host in its own D-Bus session and keyring, after IT's commands fill the keychain. */
async function startLivePreview(config: string): Promise<{ url: string; output: () => string }> {
  const cli = 'node dist/main/kiosk-cli.js';
  const script = [
    'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    `printf %s '${SIGNING_SECRET}' | ${cli} --set-secret sms-webhook-key >/dev/null`,
    `echo 482913 | ${cli} --set-admin-pin --config '${config}' >/dev/null`,
    `exec node dist/main/preview.js --port 0 --data-dir '${path.join(dir, 'data')}' --config '${config}'`,
  ].join(' && ');
  host = spawn('dbus-run-session', ['--', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  host.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  host.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the live preview did not start: ${out}`)), 30_000);
    host!.stdout!.on('data', () => {
      const match = /^Kiosk preview: (http:\/\/127\.0\.0\.1:\d+\/#\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    host!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the live preview exited with ${code}: ${out}`));
    });
  });
  return { url, output: () => out };
}

test('a live configuration previews in the browser: the worker signs in with a text from the gateway, and the admin screen lists who was set aside', async ({ page }) => {
  const { url } = await startLivePreview(path.join(dir, 'config.json'));
  await page.goto(url);
  await expect(page.getByText('Preview of a live configuration', { exact: false })).toBeVisible();
  await expect(page.getByText('DEMO', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Contoso Demo Store', { exact: true })).toBeVisible();

  await tapNumber(page, '2065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect.poll(() => texts.length, { timeout: 15_000 }).toBe(1);
  expect(texts[0]!.to).toBe('+12065550100');
  const code = /\b(\d{6})\b/.exec(texts[0]!.body)![1]!;
  await page.getByLabel('Verification code').fill(code);
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.keyboard.press('Control+Alt+Shift+A');
  await page.getByLabel('Admin PIN').fill('482913');
  await page.getByRole('button', { name: 'Open admin' }).click();
  await expect(page.getByRole('heading', { name: 'Kiosk admin' })).toBeVisible();
  await page.getByRole('tab', { name: 'This kiosk' }).click();
  await expect(page.getByText(/^1 record set aside: user u-priya: mobile phone method u-priya-mobile: That number is too short/)).toBeVisible();
});

test("the admin screen's Send diagnostics reaches the audit backend, and the device tab fits every screen in English and Spanish", async ({ page }) => {
  const received: Array<{ format: string; bundle?: { format: string } }> = [];
  const backend = await startLoopbackServer((request, response) => {
    received.push(JSON.parse(request.body) as { format: string });
    response.writeHead(201).end();
  });
  try {
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), auditUpload: { url: `${backend.origin}/audit` } }));
    const { url } = await startLivePreview(config);
    const languages = [
      { switchTo: null, pin: 'Admin PIN', open: 'Open admin', tab: 'This kiosk', send: 'Send diagnostics', sent: 'Diagnostics sent to your IT team.' },
      { switchTo: 'Español', pin: 'PIN de administración', open: 'Abrir administración', tab: 'Este quiosco', send: 'Enviar diagnóstico', sent: 'Diagnóstico enviado a tu equipo de TI.' },
    ];
    for (const w of languages) {
      await page.setViewportSize({ width: 1280, height: 800 });
      // A fresh page each time (the URL differs only in its fragment): the keypad, not the admin screen.
      await page.goto('about:blank');
      await page.goto(url);
      // The keypad is up (and in the language chosen) before the shortcut is pressed.
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      if (w.switchTo) {
        await page.getByRole('button', { name: w.switchTo }).click();
        await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
      }
      await page.keyboard.press('Control+Alt+Shift+A');
      await page.getByLabel(w.pin).fill('482913');
      await page.getByRole('button', { name: w.open }).click();
      await page.getByRole('tab', { name: w.tab }).click();
      await page.getByRole('button', { name: w.send }).click();
      await expect(page.getByRole('status').filter({ hasText: w.sent })).toBeVisible();
      for (const size of [{ width: 1280, height: 800 }, { width: 1366, height: 768 }, { width: 1920, height: 1080 }, { width: 800, height: 1280 }, { width: 1080, height: 1920 }]) {
        await page.setViewportSize(size);
        await expectToFit(page, `admin device tab with Send diagnostics, ${w.tab}, ${size.width}×${size.height}`);
      }
    }
    const diagnostics = received.filter((body) => body.format === 'frontline-kiosk-diagnostics-upload');
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]!.bundle).toMatchObject({ format: 'frontline-kiosk-diagnostics' });
  } finally {
    await backend.close();
  }
});

test('a broken live configuration stops the preview, naming the field', () => {
  const config = path.join(dir, 'broken.json');
  writeFileSync(config, JSON.stringify({ deviceName: 'Store 142', directory: { source: 'feed', feed: { location: 'http://feeds.contoso.example/feed.json', publicKey: 'x' } }, sms: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-webhook-key' } }));
  return new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['dist/main/preview.js', '--port', '0', '--data-dir', path.join(dir, 'data'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      expect(code).toBe(2);
      expect(err).toMatch(/The configuration cannot be previewed: .*broken\.json: directory\.feed\.location: /);
      resolve();
    });
  });
});
