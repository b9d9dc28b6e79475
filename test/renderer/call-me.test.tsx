// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DemoSms, SessionView } from '../../shared/contract';
import { DemoPhone } from '../../src-renderer/components/DemoPhone';
import { CodeScreen } from '../../src-renderer/screens/CodeScreen';
import { kioskStoreWith } from './render-kiosk';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const challenge = {
  state: 'challenge' as const,
  challengeId: 'a'.repeat(32),
  maskedPhone: '+1 ••• ••• 0100',
  expiresAt: NOW + 300_000,
  resendAt: NOW + 30_000,
  callAt: NOW + 30_000,
} satisfies SessionView;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('"Call me instead" on the code screen', () => {
  it('appears when the resend wait is over, and asks for a call in the language on screen', async () => {
    const kiosk = kioskStoreWith(challenge);
    kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={challenge.maskedPhone} expiresAt={challenge.expiresAt} resendAt={challenge.resendAt} callAt={challenge.callAt} />);
    expect(screen.queryByRole('button', { name: 'Call me instead' })).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    fireEvent.click(screen.getByRole('button', { name: 'Call me instead' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(kiosk.invoke.mock.calls.filter(([name]) => name === 'signIn.call').map(([, input]) => input)).toEqual([{ challengeId: challenge.challengeId, language: 'en' }]);
  });

  it('is not there where the kiosk places no calls', async () => {
    const { callAt: _none, ...noCalls } = challenge;
    const kiosk = kioskStoreWith(noCalls);
    kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={noCalls.maskedPhone} expiresAt={noCalls.expiresAt} resendAt={noCalls.resendAt} />);
    await act(() => vi.advanceTimersByTimeAsync(31_000));
    expect(screen.queryByRole('button', { name: 'Call me instead' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Resend code' })).toBeTruthy();
  });

  it('stands alone where policy sends no texts: no "Resend code"', () => {
    const kiosk = kioskStoreWith({ ...challenge, callAt: NOW, textsOff: true });
    kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={challenge.maskedPhone} expiresAt={challenge.expiresAt} resendAt={challenge.resendAt} callAt={NOW} textsOff />);
    expect(screen.getByRole('button', { name: 'Call me instead' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resend code' })).toBeNull();
    expect(screen.getByText('This kiosk sends no texts: tap Call me instead to hear your code.')).toBeTruthy();
  });
});

describe('the demo phone’s calls', () => {
  const call: DemoSms = { id: 'c1', channel: 'voice', maskedTo: '+1 ••• ••• 0100', body: 'This is Contoso. Your kiosk code is: 4, 8, 2, 9, 1, 3. Again: 4, 8, 2, 9, 1, 3.', language: 'en', sentAt: NOW };

  it('shows an incoming call with its words, and does not break with sound on where there is no speech', () => {
    const kiosk = kioskStoreWith(challenge);
    const speech = Object.getOwnPropertyDescriptor(window, 'speechSynthesis');
    // Headless Chromium may have no speech at all.
    Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
    try {
      kiosk.show(<DemoPhone store={kiosk.store} />);
      fireEvent.click(screen.getByRole('button', { name: 'Speak calls aloud' }));
      expect(screen.getByRole('button', { name: 'Speak calls aloud' }).getAttribute('aria-pressed')).toBe('true');
      act(() => kiosk.store.setState({ demoTexts: [call] }));
      expect(screen.getByText('Incoming call to +1 ••• ••• 0100')).toBeTruthy();
      expect(screen.getByText(call.body)).toBeTruthy();
    } finally {
      if (speech) Object.defineProperty(window, 'speechSynthesis', speech);
    }
  });
});
