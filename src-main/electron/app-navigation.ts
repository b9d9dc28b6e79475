import type { WebContents } from 'electron';
import type { KioskApp } from '../core/directory/directory-snapshot';
import { builtInAppUrl, isBuiltInAppUrl } from './app-protocol';

/** Where an app's view starts: its https address, or its built-in page. */
export function appStartUrl(app: KioskApp): string {
  return app.url ?? builtInAppUrl(app.page!);
}

/**
 * Where an app's view may go. An https app may move anywhere on https, since single
 * sign-on hops between origins, but never to http, file: or the kiosk's own pages; a
 * built-in page stays among the built-in pages.
 */
export function mayNavigate(app: KioskApp, url: string): boolean {
  if (app.page !== undefined) return isBuiltInAppUrl(url);
  return URL.canParse(url) && new URL(url).protocol === 'https:';
}

/**
 * Holds an app's view to `mayNavigate`, for links, redirects and `window.open` alike. A
 * new window would float outside the kiosk's layout with no way back, so `window.open`
 * (and target=_blank) opens in the same view when the address is allowed, and does
 * nothing otherwise.
 */
export function confineAppNavigation(contents: WebContents, app: KioskApp): void {
  const refuseElsewhere = (event: { url: string; preventDefault(): void }) => {
    if (!mayNavigate(app, event.url)) event.preventDefault();
  };
  contents.on('will-navigate', refuseElsewhere);
  contents.on('will-redirect', refuseElsewhere);
  contents.setWindowOpenHandler(({ url }) => {
    // A page that fails to load leaves the view blank, as a failed link would: nothing to report.
    if (mayNavigate(app, url)) void contents.loadURL(url).catch(() => undefined);
    return { action: 'deny' };
  });
}
