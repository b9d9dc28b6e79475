// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../shared/contract';
import { CodeScreen } from '../../src-renderer/screens/CodeScreen';
import { kioskStoreWith } from './render-kiosk';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const challenge = { state: 'challenge' as const, challengeId: 'a'.repeat(32), maskedPhone: '+1 ••• ••• 0100', expiresAt: NOW + 300_000, resendAt: NOW + 30_000 } satisfies SessionView;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function showCodeScreen() {
  const kiosk = kioskStoreWith(challenge);
  kiosk.show(<CodeScreen store={kiosk.store} maskedPhone={challenge.maskedPhone} expiresAt={challenge.expiresAt} resendAt={challenge.resendAt} />);
  return kiosk;
}

const verifyCalls = (invoke: ReturnType<typeof vi.fn>) => invoke.mock.calls.filter(([name]) => name === 'signIn.verify').map(([, input]) => input);

describe('the code screen', () => {
  it('submits by itself on the sixth digit', () => {
    const { invoke } = showCodeScreen();
    const input = screen.getByLabelText('Verification code');
    expect(input.getAttribute('autocomplete')).toBe('one-time-code');
    fireEvent.change(input, { target: { value: '12345' } });
    expect(verifyCalls(invoke)).toEqual([]);
    fireEvent.change(input, { target: { value: '123456' } });
    expect(verifyCalls(invoke)).toEqual([{ challengeId: challenge.challengeId, code: '123456' }]);
  });

  it('takes a whole pasted code, whatever came with it', () => {
    const { invoke } = showCodeScreen();
    fireEvent.change(screen.getByLabelText('Verification code'), { target: { value: ' 123-456 ' } });
    expect(verifyCalls(invoke)).toEqual([{ challengeId: challenge.challengeId, code: '123456' }]);
  });

  it('counts down to the code expiring, saying it aloud at whole minutes', () => {
    showCodeScreen();
    const shown = () => document.querySelector('p.hint[aria-hidden="true"]')!.textContent;
    const spoken = () => document.getElementById('code-expiry')!.textContent;
    expect([shown(), spoken()]).toEqual(['The code expires in 5:00.', 'The code expires in 5:00.']);
    act(() => vi.advanceTimersByTime(61_000));
    expect([shown(), spoken()]).toEqual(['The code expires in 3:59.', 'The code expires in 4:00.']);
    act(() => vi.advanceTimersByTime(240_000));
    expect([shown(), spoken()]).toEqual(['The code has expired. Ask for a new one.', 'The code has expired. Ask for a new one.']);
  });

  it('lets the worker ask for the code again only after its cooldown', () => {
    const { invoke } = showCodeScreen();
    const resend = screen.getByRole('button', { name: 'Resend code' }) as HTMLButtonElement;
    expect(resend.disabled).toBe(true);
    expect(screen.getByText('You can ask for the code again in 30 s.')).toBeTruthy();
    act(() => vi.advanceTimersByTime(30_000));
    expect(resend.disabled).toBe(false);
    fireEvent.click(resend);
    expect(invoke.mock.calls.some(([name]) => name === 'signIn.resend')).toBe(true);
  });
});
