import { fail, ok } from '../../../shared/result';
import type { KioskApp } from '../directory/directory-snapshot';
import { appsFor, type AppLauncher } from '../session/app-launcher';
import type { DeviceSession } from '../session/device-session';
import type { CallHandlers } from './contract-dispatch';

export interface AppsDeps {
  session: DeviceSession;
  apps: () => readonly KioskApp[];
  launcher: AppLauncher;
}

/** `apps.*`: the signed-in worker's apps, by their groups; nobody else's. */
export function appsHandlers({ session, apps, launcher }: AppsDeps): Pick<CallHandlers, 'apps.list' | 'apps.open' | 'apps.home'> {
  const myApps = () => {
    const signedIn = session.signedIn();
    return signedIn ? { sessionId: signedIn.sessionId, apps: appsFor(signedIn.groupIds, apps()) } : null;
  };
  return {
    'apps.list': () =>
      ok({ apps: (myApps()?.apps ?? []).map(({ id, name, icon, requires }) => ({ id, name, ...(icon && { icon }), ...(requires === 'authenticator' && { requires }) })) }),
    'apps.open': async ({ appId }) => {
      const mine = myApps();
      const app = mine?.apps.find((candidate) => candidate.id === appId);
      if (!mine || !app) return fail('app.notFound', 'That app is not available to you here.');
      // A sensitive app opens only after an authenticator code this session.
      const allowed = session.mayOpen(app.requires ?? 'any');
      if (!allowed.ok) return allowed;
      return ok(await launcher.open(app, mine.sessionId));
    },
    'apps.home': () => {
      launcher.showHome();
      return ok({});
    },
  };
}
