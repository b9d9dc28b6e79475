import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { directoryFileOf } from '../../src-main/core/store/database';
import { expect, test, type Page } from '@playwright/test';
import { seriousAccessibilityViolations } from './axe';
import { codeFromDemoPhone } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';
import { expectToFit, pressAndHold, tapKeys } from './touch';

// The screen sizes cheap kiosks really have, touch only, in both languages: every screen
// and state fits without scrolling, every control on screen and ≥ 64 px, and passes axe
// (at the smallest landscape and portrait sizes).
// With SCREENSHOTS=1 the pictures go to docs/screenshots/ (the README shows them).
const screenshotDir = process.env.SCREENSHOTS ? path.resolve('docs/screenshots') : path.resolve('test-results/screenshots');
mkdirSync(screenshotDir, { recursive: true });

const sizes = [
  { width: 1280, height: 800 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 800, height: 1280 },
  { width: 1080, height: 1920 },
] as const;
const axeSizes = new Set(['1366x768', '800x1280']);

const languages = [
  {
    code: 'en',
    switchTo: null,
    w: {
      keypad: 'Keypad',
      sendCode: 'Send code',
      demoPhone: 'Demo phone',
      missing: '3 more digits needed.',
      invalid: 'That is not a valid mobile number. Check it and try again.',
      code: 'Verification code',
      wrong: 'That code is not right. 4 tries left.',
      dead: 'Too many wrong tries for this code. Ask for a new code.',
      sendNewCode: 'Send a new code',
      callMe: 'Call me instead',
      incomingCall: 'Incoming call to +1 ••• ••• 0102',
      hello: 'Hello, Sam Okafor',
      app: 'Safety handbook',
      opened: 'Safety handbook opened in a new tab.',
      warning: 'Are you still there?',
      signOutNow: 'Sign out now',
      idleNotice: 'You were signed out because the screen was not used for a while.',
      pin: 'Admin PIN',
      openAdmin: 'Open admin',
      wrongPin: 'That PIN is not right. 4 tries left.',
      adminHeading: 'Kiosk admin',
      tabs: ['Activity', 'Unlock a worker', 'This kiosk'],
      signedIn: 'Sam Okafor signed in',
    },
  },
  {
    code: 'es',
    switchTo: 'Español',
    w: {
      keypad: 'Teclado',
      sendCode: 'Enviar código',
      demoPhone: 'Teléfono de demostración',
      missing: 'Faltan 3 dígitos.',
      invalid: 'Ese no es un número de móvil válido. Revísalo e inténtalo de nuevo.',
      code: 'Código de verificación',
      wrong: 'Ese código no es correcto. Te quedan 4 intentos.',
      dead: 'Demasiados intentos fallidos con este código. Pide un código nuevo.',
      sendNewCode: 'Enviar un código nuevo',
      callMe: 'Mejor llámame',
      incomingCall: 'Llamada entrante para +1 ••• ••• 0102',
      hello: 'Hola, Sam Okafor',
      app: 'Safety handbook',
      opened: 'Safety handbook se abrió en una pestaña nueva.',
      warning: '¿Sigues ahí?',
      signOutNow: 'Cerrar sesión ahora',
      idleNotice: 'Se cerró tu sesión porque la pantalla no se usó durante un rato.',
      pin: 'PIN de administración',
      openAdmin: 'Abrir administración',
      wrongPin: 'Ese PIN no es correcto. Te quedan 4 intentos.',
      adminHeading: 'Administración del quiosco',
      tabs: ['Actividad', 'Desbloquear a una persona', 'Este quiosco'],
      signedIn: 'Sam Okafor inició sesión',
    },
  },
] as const;

test.use({ hasTouch: true });

let host: RunningPreviewHost;
test.beforeEach(async () => {
  host = await startPreviewHost();
  // Short idle timeouts, set as a directory sync would, so the warning and its notice can be
  // shown; and "Call me instead" at once, so the code screen is measured with it.
  const db = new Database(directoryFileOf(path.join(host.dataDir, 'kiosk.db')));
  db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(JSON.stringify({ session: { idleTimeoutSeconds: 15, warningSeconds: 5 }, offerCallAtOnce: true }));
  db.close();
});
test.afterEach(async () => {
  await host.stop();
});

const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

for (const size of sizes) {
  for (const { code: lang, switchTo, w } of languages) {
    test(`every screen fits ${size.width}×${size.height} in ${lang}, touch only`, async ({ page }) => {
      test.setTimeout(150_000);
      await page.setViewportSize(size);
      const name = `${lang}-${size.width}x${size.height}`;
      const check = async (screen: string) => {
        await page.waitForTimeout(150); // let countdowns settle for the picture
        await expectToFit(page, screen);
        // axe at the two smallest screens, one per orientation (screens.spec.ts runs it on
        // every state too): the rules it checks do not change between larger sizes, and it
        // is most of this spec's time.
        if (axeSizes.has(`${size.width}x${size.height}`)) expect(await seriousAccessibilityViolations(page), `axe on ${screen}`).toEqual([]);
        await page.screenshot({ path: path.join(screenshotDir, `${name}-${screen}.png`) });
      };
      const chooseLanguage = async () => {
        if (switchTo) await page.getByRole('button', { name: switchTo }).tap();
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
      };

      await page.goto(host.url);
      await chooseLanguage();
      await expect(page.getByRole('group', { name: w.keypad })).toBeVisible();
      await check('01-keypad');

      await tapKeys(page, '2065550', w.keypad);
      await expect(page.getByText(w.missing)).toBeVisible();
      await check('02-keypad-hint');

      await tapKeys(page, '100', w.keypad);
      await page.getByRole('button', { name: 'Clear' }).or(page.getByRole('button', { name: 'Borrar todo' })).tap();
      await tapKeys(page, '1115550100', w.keypad);
      await page.getByRole('button', { name: w.sendCode }).tap();
      await expect(page.getByRole('alert')).toHaveText(w.invalid);
      await check('03-keypad-error');

      await page.getByRole('button', { name: 'Clear' }).or(page.getByRole('button', { name: 'Borrar todo' })).tap();
      await tapKeys(page, '2065550102', w.keypad);
      await page.getByRole('button', { name: w.sendCode }).tap();
      const first = await codeFromDemoPhone(page, w.demoPhone);
      await expect(page.getByLabel(w.code)).toBeFocused();
      await check('04-code');

      await page.getByRole('button', { name: w.callMe }).tap();
      await expect(page.getByRole('region', { name: w.demoPhone }).getByRole('listitem').first()).toContainText(w.incomingCall);
      await expect(page.getByRole('button', { name: w.callMe })).toHaveCount(0);
      await check('04b-code-called');

      await tapKeys(page, wrongFor(first), w.keypad);
      await expect(page.getByRole('alert')).toHaveText(w.wrong);
      await check('05-code-wrong');

      for (let i = 0; i < 4; i += 1) await tapKeys(page, wrongFor(first), w.keypad);
      await expect(page.getByRole('alert')).toHaveText(w.dead);
      await check('06-code-dead');

      await page.getByRole('button', { name: w.sendNewCode }).tap();
      await expect(page.getByText(w.dead)).toBeHidden();
      const second = await newCodeFromDemoPhone(page, w.demoPhone, first);
      await tapKeys(page, second, w.keypad);
      await expect(page.getByRole('heading', { name: w.hello })).toBeVisible();
      await check('07-home');

      await page.getByRole('button', { name: w.app }).tap();
      await expect(page.getByText(w.opened)).toBeVisible();
      await check('08-app-open');

      await expect(page.getByRole('alertdialog', { name: w.warning })).toBeVisible({ timeout: 20_000 });
      await check('09-idle-warning');

      // The next person starts in the kiosk's language; the notice follows a language they pick.
      await expect(page.getByRole('status').filter({ hasText: languages[0].w.idleNotice })).toBeVisible({ timeout: 20_000 });
      await chooseLanguage();
      await expect(page.getByRole('status').filter({ hasText: w.idleNotice })).toBeVisible();
      await check('10-signed-out');

      await pressAndHold(page, 'Contoso Demo Store');
      await tapKeys(page, '0000', w.keypad);
      await page.getByRole('button', { name: w.openAdmin }).tap();
      await expect(page.getByRole('alert')).toHaveText(w.wrongPin);
      await check('11-admin-pin');

      await tapKeys(page, '2468', w.keypad);
      await page.getByRole('button', { name: w.openAdmin }).tap();
      await expect(page.getByRole('heading', { name: w.adminHeading })).toBeVisible();
      await expect(page.getByRole('cell', { name: w.signedIn }).first()).toBeVisible();
      await check('12-admin-activity');

      await page.getByRole('tab', { name: w.tabs[1] }).tap();
      await expect(page.getByRole('group', { name: w.keypad })).toBeVisible();
      await check('13-admin-unlock');

      await page.getByRole('tab', { name: w.tabs[2] }).tap();
      await check('14-admin-device');
    });
  }
}

/** The newest text once one other than `old` has arrived. */
async function newCodeFromDemoPhone(page: Page, phoneName: string, old: string): Promise<string> {
  await expect.poll(() => codeFromDemoPhone(page, phoneName)).not.toBe(old);
  return codeFromDemoPhone(page, phoneName);
}
