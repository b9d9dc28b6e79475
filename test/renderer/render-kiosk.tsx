import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { SessionView } from '../../shared/contract';
import { buildKioskBridge } from '../../shared/kiosk-bridge';
import { ok, type Result } from '../../shared/result';
import { createKioskStore } from '../../src-renderer/state/kiosk-store';

/**
 * A renderer store over a bridge whose calls are recorded and answered by the test: the
 * components see exactly what they would over IPC or HTTP.
 */
export function kioskStoreWith(session: SessionView, answer: (name: string, input: unknown) => Result<unknown> = () => ok(session)) {
  const invoke = vi.fn((name: string, input: unknown) => {
    if (name === 'session.current') return Promise.resolve(ok(session));
    if (name === 'device.status') {
      return Promise.resolve(
        ok({
          mode: 'demo',
          deviceName: 'Test',
          version: '0',
          organizationName: 'Contoso',
          defaultCountry: 'US',
          defaultLanguage: 'en',
          branding: {},
          capabilities: { exit: false },
          walkAway: { typedSeconds: 60, noticeSeconds: 15 },
        }),
      );
    }
    return Promise.resolve(answer(name, input));
  });
  const bridge = buildKioskBridge(invoke as never, () => () => undefined);
  const store = createKioskStore(bridge, () => undefined);
  store.setState({ session });
  return { store, invoke, show: (ui: ReactElement) => render(ui) };
}
