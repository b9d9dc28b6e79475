// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../shared/contract';
import { fail, type KioskError } from '../../shared/result';
import { ErrorMessage } from '../../src-renderer/components/ErrorMessage';
import { CodeScreen, FULL_NUMBER_SHOWN_MS } from '../../src-renderer/screens/CodeScreen';
import { kioskStoreWith } from './render-kiosk';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const challenge = { state: 'challenge' as const, challengeId: 'b'.repeat(32), maskedPhone: '+1 ••• ••• 0199', expiresAt: NOW + 300_000, resendAt: NOW + 30_000 } satisfies SessionView;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function showCodeScreen(refusal?: KioskError) {
  const kiosk = kioskStoreWith(challenge, (name) => (name === 'signIn.verify' && refusal ? fail(refusal.code, '', refusal) : { ok: true, value: challenge }));
  kiosk.store.setState({ phone: '2065550199' });
  kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={challenge.maskedPhone} expiresAt={challenge.expiresAt} resendAt={challenge.resendAt} />);
  return kiosk;
}
const tapCode = async (code: string) => {
  const keypad = screen.getByRole('group', { name: 'Keypad' });
  for (const key of code) fireEvent.click([...keypad.querySelectorAll('button')].find((button) => button.textContent === key)!);
  await act(async () => {});
};
const called = (invoke: ReturnType<typeof vi.fn>, call: string) => invoke.mock.calls.filter(([name]) => name === call).map(([, input]) => input);

describe('the code screen', () => {
  it('takes the code from its own keypad, and submits at the sixth digit', async () => {
    const { invoke } = showCodeScreen();
    await tapCode('12345');
    expect(called(invoke, 'signIn.verify')).toEqual([]);
    await tapCode('6');
    expect(called(invoke, 'signIn.verify')).toEqual([{ challengeId: challenge.challengeId, code: '123456' }]);
  });

  it('shows the number as typed for the first seconds only, then just the masked one', () => {
    showCodeScreen();
    expect(screen.getByText('You typed (206) 555-0199. Wrong number? Use a different number.')).toBeTruthy();
    act(() => vi.advanceTimersByTime(FULL_NUMBER_SHOWN_MS + 1_000));
    expect(screen.queryByText(/You typed/)).toBeNull();
    expect(document.body.textContent).not.toContain('555-0199');
    expect(screen.getByText(/we sent a code to \+1 ••• ••• 0199/)).toBeTruthy();
  });

  it('offers "Send a new code" once a code is dead, and stops counting it down', async () => {
    const { invoke } = showCodeScreen({ code: 'code.tooManyAttempts', message: '' });
    await tapCode('000000');
    expect(screen.getByText('Code used up')).toBeTruthy();
    expect(screen.queryByText(/The code expires in/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resend code' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect(called(invoke, 'signIn.renew')).toEqual([{ challengeId: challenge.challengeId, language: 'en' }]);
  });

  it('offers "Send a new code" once the code expired', () => {
    const { invoke } = showCodeScreen();
    act(() => vi.advanceTimersByTime(301_000));
    expect(screen.getByText('Code expired')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect(called(invoke, 'signIn.renew')).toHaveLength(1);
  });

  it('says a lock is a lock, until when, and offers no new code', async () => {
    const { store } = showCodeScreen({ code: 'signIn.locked', message: '', retryAt: NOW + 60_000 });
    await tapCode('000000');
    expect(screen.getByText('Sign-in locked')).toBeTruthy();
    expect(store.getState().error?.retryAt).toBe(NOW + 60_000);
    expect(screen.queryByRole('button', { name: 'Send a new code' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resend code' })).toBeNull();
    expect((screen.getByRole('button', { name: '1' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('tells wrong, expired, dead and locked apart by look as well as by words', () => {
    const states = ['code.wrong', 'code.expired', 'code.tooManyAttempts', 'signIn.locked'] as const;
    const looks = states.map((code) => {
      const kiosk = kioskStoreWith(challenge);
      kiosk.store.setState({ error: { code, message: '', attemptsLeft: 3 } });
      const { container, unmount } = kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={challenge.maskedPhone} expiresAt={challenge.expiresAt} resendAt={challenge.resendAt} />);
      const look = container.querySelector('.code-state')?.className;
      unmount();
      return look;
    });
    expect(new Set(looks).size).toBe(4);
  });
});

describe('an error line', () => {
  it('is in the worker words for its code, never main message', () => {
    const kiosk = kioskStoreWith({ state: 'ready' });
    kiosk.store.setState({ error: { code: 'sms.sendFailed', message: 'Twilio 21614: To number is not a valid mobile' } });
    kiosk.show(<ErrorMessage store={kiosk.store} />);
    expect(screen.getByRole('alert').textContent).toBe('We could not send a text right now. Wait a moment and try again.');
  });
});
