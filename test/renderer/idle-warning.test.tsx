// @vitest-environment happy-dom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../shared/contract';
import { IdleWarning } from '../../src-renderer/components/IdleWarning';
import { kioskStoreWith } from './render-kiosk';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const warning: SessionView = { state: 'warning', user: { displayName: 'Alex' }, startedAt: NOW - 400_000, signOutAt: NOW + 60_000, amr: ['sms'], setUp: [], authenticator: false };

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the idle warning', () => {
  it('counts down every second on screen, but tells a screen reader only at milestones', () => {
    const kiosk = kioskStoreWith(warning);
    kiosk.show(<IdleWarning store={kiosk.store} signOutAt={warning.state === 'warning' ? warning.signOutAt : 0} />);
    const spoken = () => document.getElementById('idle-announcement')!.textContent;
    expect(screen.getByRole('alertdialog', { name: 'Are you still there?' })).toBeTruthy();
    expect(spoken()).toBe('Signing out in 60 seconds');

    act(() => vi.advanceTimersByTime(15_000));
    expect(document.querySelector('.countdown strong')!.textContent).toBe('45');
    expect(spoken()).toBe('Signing out in 60 seconds');

    act(() => vi.advanceTimersByTime(15_000));
    expect(spoken()).toBe('Signing out in 30 seconds');
    act(() => vi.advanceTimersByTime(29_000));
    expect(spoken()).toBe('Signing out in 1 second');
  });

  it('puts the focus on "I\'m still here"', () => {
    const kiosk = kioskStoreWith(warning);
    kiosk.show(<IdleWarning store={kiosk.store} signOutAt={NOW + 60_000} />);
    expect(document.activeElement?.textContent).toBe("I'm still here");
  });
});
