import { describe, expect, it, vi } from 'vitest';
import type { KioskApp } from '../../src-main/core/directory/directory-snapshot';
import { appStartUrl, confineAppNavigation, mayNavigate } from '../../src-main/electron/app-navigation';
import { FakeWebContents } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const roster: KioskApp = { id: 'app-roster', name: 'Roster', url: 'https://roster.example/today', groupIds: ['all_users'] };
const shifts: KioskApp = { id: 'app-shifts', name: 'Shift schedule', page: 'shift-schedule', groupIds: ['all_users'] };

function confined(app: KioskApp) {
  const contents = new FakeWebContents();
  confineAppNavigation(contents as unknown as Electron.WebContents, app, () => undefined);
  return contents;
}

describe('where an app starts', () => {
  it('is its https address, or its built-in page on the demo origin', () => {
    expect(appStartUrl(roster)).toBe('https://roster.example/today');
    expect(appStartUrl(shifts)).toBe('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');
  });
});

describe('where an https app may go', () => {
  it('its own origin only, by default', () => {
    expect(mayNavigate(roster, 'https://roster.example/week')).toBe(true);
    // Issue #12, item 10: before, any https origin was allowed.
    expect(mayNavigate(roster, 'https://login.microsoftonline.com/common/oauth2/authorize')).toBe(false);
    expect(mayNavigate(roster, 'https://other.example/')).toBe(false);
  });

  it('the origins policy allows it, as single sign-on needs', () => {
    const withSso: KioskApp = { ...roster, allowedOrigins: ['https://roster.example', 'https://login.microsoftonline.com'] };
    expect(mayNavigate(withSso, 'https://login.microsoftonline.com/common/oauth2/authorize')).toBe(true);
    expect(mayNavigate(withSso, 'https://other.example/')).toBe(false);
  });

  it('reports each blocked navigation, so the worker and IT can be told', () => {
    const blocked: string[] = [];
    const contents = new FakeWebContents();
    confineAppNavigation(contents as unknown as Electron.WebContents, roster, (url) => blocked.push(url));
    expect(contents.attemptNavigation('https://evil.example/').prevented).toBe(true);
    expect(contents.attemptNavigation('https://roster.example/next').prevented).toBe(false);
    expect(blocked).toEqual(['https://evil.example/']);
  });

  it.each([
    'http://roster.example/',
    'file:///etc/passwd',
    'app://kiosk/index.html',
    'app://kiosk/apps/shift-schedule.html',
    'https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html',
    'javascript:alert(1)',
    'data:text/html,<h1>hi</h1>',
    'ms-teams:/l/chat',
    'not a url',
  ])('nowhere else: %s', (url) => expect(mayNavigate(roster, url)).toBe(false));
});

describe('where a built-in page may go', () => {
  it('among the built-in pages only', () => {
    expect(mayNavigate(shifts, 'https://sso.demo.frontline-kiosk.invalid/apps/safety-handbook.html')).toBe(true);
    expect(mayNavigate(shifts, 'app://kiosk/apps/safety-handbook.html')).toBe(false);
    expect(mayNavigate(shifts, 'app://kiosk/index.html')).toBe(false);
    expect(mayNavigate(shifts, 'https://roster.example/')).toBe(false);
    expect(mayNavigate(shifts, 'app://other/apps/shift-schedule.html')).toBe(false);
  });

  it('to the demo issuer and back, when it signs in with single sign-on', () => {
    const signsIn: KioskApp = { ...shifts, oidc: { clientId: 'demo-shifts', responseType: 'code', redirectUris: [], postLogoutRedirectUris: [], scopes: ['openid'] } };
    const contents = confined(signsIn);
    expect(contents.attemptNavigation('https://sso.demo.frontline-kiosk.invalid/oidc/auth?client_id=demo-shifts').prevented).toBe(false);
    expect(contents.attemptRedirect('https://sso.demo.frontline-kiosk.invalid/oidc/interaction/abc').prevented).toBe(false);
    expect(contents.attemptRedirect('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html?code=x').prevented).toBe(false);
    expect(mayNavigate(shifts, 'https://sso.demo.frontline-kiosk.invalid/oidc/auth')).toBe(false);
    expect(mayNavigate(signsIn, 'https://sso.demo.frontline-kiosk.invalid.evil.example/oidc/auth')).toBe(false);
  });
});

describe("an app's view", () => {
  it('follows links and redirects the app may take, and stops the others', () => {
    const contents = confined(roster);
    expect(contents.attemptNavigation('https://roster.example/week').prevented).toBe(false);
    expect(contents.attemptNavigation('http://roster.example/week').prevented).toBe(true);
    expect(contents.attemptNavigation('app://kiosk/index.html').prevented).toBe(true);
    expect(contents.attemptRedirect('https://roster.example/login').prevented).toBe(false);
    expect(contents.attemptRedirect('https://login.example/').prevented).toBe(true);
    expect(contents.attemptRedirect('http://login.example/').prevented).toBe(true);
  });

  it('opens window.open in the same view when the app may go there, and never a new window', () => {
    const contents = confined(roster);
    expect(contents.windowOpenHandler?.({ url: 'https://roster.example/print' })).toEqual({ action: 'deny' });
    expect(contents.loadURL).toHaveBeenCalledWith('https://roster.example/print');
  });

  it('ignores window.open to anywhere the app may not go', () => {
    const contents = confined(shifts);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
    expect(contents.loadURL).not.toHaveBeenCalled();
  });
});
