import { ALL_USERS, builtInPagePath, type KioskApp } from '../directory/directory-snapshot';

export { builtInPagePath };

export type AppOpened = { target: 'kiosk' } | { target: 'tab'; url: string };

/**
 * Shows the apps a worker opens. The Electron shell runs each in a view inside the kiosk
 * window, in a partition made for that sign-in and wiped at sign-out; the browser preview
 * lets the screen open it in a tab.
 */
export interface AppLauncher {
  open(app: KioskApp, sessionId: string): Promise<AppOpened>;
  showHome(): void;
}

/** The preview host's launcher: the screen opens the app in a new tab. */
export const browserTabLauncher: AppLauncher = {
  open: (app) => Promise.resolve({ target: 'tab', url: app.url ?? `/${builtInPagePath(app.page!)}` }),
  showHome: () => undefined,
};

/** The apps a worker in these groups may use, in the order policy lists them. */
export function appsFor(groupIds: readonly string[], apps: readonly KioskApp[]): KioskApp[] {
  return apps.filter((app) => app.groupIds.some((id) => id === ALL_USERS || groupIds.includes(id)));
}
