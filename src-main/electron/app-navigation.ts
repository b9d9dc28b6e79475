import type { WebContents } from 'electron';
import type { KioskApp } from '../core/directory/directory-snapshot';
import { DEMO_SSO_ISSUER, isIssuerRequest } from '../core/sso/issuer-bridge';
import { builtInAppUrl, isBuiltInAppUrl } from './app-protocol';
import { DisposableStore, listen, toDisposable, type Disposable } from './disposables';

/** Where an app's view starts: its https address, or its built-in page. */
export function appStartUrl(app: KioskApp): string {
  return app.url ?? builtInAppUrl(app.page!);
}

/** The origins an https app may reach: policy's `allowedOrigins`, else its own origin alone. */
export function allowedOriginsOf(app: KioskApp): string[] {
  return app.allowedOrigins ?? (app.url ? [new URL(app.url).origin] : []);
}

/**
 * Where an app's view may go. An https app stays on the origins policy allows it (single
 * sign-on may need a few), never http, file: or the kiosk's own pages; a built-in page
 * stays among the built-in pages and, when it signs in, the demo issuer.
 */
export function mayNavigate(app: KioskApp, url: string): boolean {
  // A built-in page that signs in goes to the demo issuer, on its own origin, and back.
  if (app.page !== undefined) return isBuiltInAppUrl(url) || (app.oidc !== undefined && isIssuerRequest(url, DEMO_SSO_ISSUER));
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  return target.protocol === 'https:' && allowedOriginsOf(app).includes(target.origin);
}

/**
 * Holds an app's view to `mayNavigate`, for links, redirects and `window.open` alike. A
 * new window would float outside the kiosk's layout with no way back, so `window.open`
 * (and target=_blank) opens in the same view when the address is allowed, and does
 * nothing otherwise.
 */
export function confineAppNavigation(contents: WebContents, app: KioskApp, onBlocked: (url: string) => void): Disposable {
  const refuseElsewhere = (event: { url: string; preventDefault(): void }) => {
    if (mayNavigate(app, event.url)) return;
    event.preventDefault();
    onBlocked(event.url);
  };
  const store = new DisposableStore();
  store.add(listen(contents, 'will-navigate', refuseElsewhere));
  store.add(listen(contents, 'will-frame-navigate', refuseElsewhere));
  store.add(listen(contents, 'will-redirect', refuseElsewhere));
  contents.setWindowOpenHandler(({ url }) => {
    // A page that fails to load leaves the view blank, as a failed link would: nothing to report.
    if (mayNavigate(app, url)) void contents.loadURL(url).catch(() => undefined);
    else onBlocked(url);
    return { action: 'deny' };
  });
  return store;
}

/**
 * The client certificate for an app's request, by policy: the one named for that origin,
 * or none — Electron would otherwise present the first certificate in the store.
 */
export function chooseClientCertificate<C extends { subjectName: string }>(app: KioskApp | null, url: string, offered: readonly C[]): C | undefined {
  if (!app || !URL.canParse(url)) return undefined;
  const origin = new URL(url).origin;
  const named = (app.clientCertificates ?? []).find((entry) => entry.origin === origin);
  return named ? offered.find((certificate) => certificate.subjectName === named.subjectName) : undefined;
}

/**
 * Turns off the native print dialog and file choosers in an app's page unless policy allows
 * them: Electron has no event to refuse `window.print()` or `<input type=file>`, so each
 * frame gets a script that stops them. A page could still race it before the frame
 * finishes loading; the partition keeps nothing a chooser could take, and is wiped.
 */
export function disableNativeDialogs(contents: WebContents, app: KioskApp): Disposable {
  const script = nativeDialogGuard(app);
  if (script === null) return toDisposable(() => undefined);
  return listen(contents, 'did-frame-finish-load', () => {
    for (const frame of contents.mainFrame.framesInSubtree) void frame.executeJavaScript(script).catch(() => undefined);
  });
}

/** The guard script for an app, or null when policy allows both. */
export function nativeDialogGuard(app: KioskApp): string | null {
  if (app.allowPrint === true && app.allowFileChooser === true) return null;
  const parts: string[] = [];
  if (app.allowPrint !== true) parts.push('window.print = () => undefined;');
  if (app.allowFileChooser !== true) {
    parts.push(
      "document.addEventListener('click', (e) => { const t = e.target; if (t instanceof HTMLInputElement && t.type === 'file') e.preventDefault(); }, true);",
      "HTMLInputElement.prototype.showPicker = function () { if (this.type !== 'file') return undefined; };",
      'delete window.showOpenFilePicker; delete window.showSaveFilePicker; delete window.showDirectoryPicker;',
    );
  }
  return `(() => { ${parts.join(' ')} })();`;
}
