import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import type { SmsMessage, SmsSender } from '../../../src-main/core/sms/sms-sender';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

/** An SMS provider whose sends finish only when the test says so, in any order. */
class SlowProvider implements SmsSender {
  readonly provider = 'slow';
  readonly pending: Array<{ message: SmsMessage; finish: () => void }> = [];
  send(message: SmsMessage): Promise<void> {
    return new Promise((resolve) => this.pending.push({ message, finish: resolve }));
  }
}

let h: DemoKioskHarness;
afterEach(() => h.close());

const settle = () => new Promise((resolve) => setImmediate(resolve));
const stateOf = (result: Result<SessionView>) => (result.ok ? result.value.state : result.error.code);

describe('the device session', () => {
  it('shows the newest number asked for, even when an older text is delivered last', async () => {
    const provider = new SlowProvider();
    h = await openDemoKiosk({ smsSender: provider });
    const first = h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
    await settle();
    const second = h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0101' });
    await settle();
    provider.pending[1]!.finish();
    const newest = await second;
    provider.pending[0]!.finish();
    await first;
    const current = await h.kiosk.handlers['session.current']({});
    expect(current).toEqual(newest);
    expect(current.ok && current.value.state === 'challenge' && current.value.maskedPhone).toBe('+1 ••• ••• 0101');
  });

  it('stays on the keypad when the worker cancels before the start answers', async () => {
    h = await openDemoKiosk();
    h.stopwatch.hold = true;
    const started = h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
    await settle();
    expect(stateOf(await h.kiosk.handlers['signIn.cancel']({}))).toBe('ready');
    h.stopwatch.release();
    expect(stateOf(await started)).toBe('ready');
    expect(stateOf(await h.kiosk.handlers['session.current']({}))).toBe('ready');
  });

  it('signs the worker out when the shell reports a crash, and audits why', async () => {
    h = await openDemoKiosk();
    const started = await h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
    const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';
    expect(stateOf(await h.kiosk.handlers['signIn.verify']({ challengeId, code: h.lastCode() }))).toBe('active');
    h.kiosk.endSession('crash');
    expect(stateOf(await h.kiosk.handlers['session.current']({}))).toBe('ready');
    expect(h.kiosk.audit.query({ types: ['session.signOut'], limit: 1 })[0]).toMatchObject({ reason: 'crash', userId: 'u-alex' });
  });

  it('announces every change of state to the screen', async () => {
    h = await openDemoKiosk();
    const seen: string[] = [];
    h.kiosk.events.on('session.changed', (view) => seen.push(view.state));
    const started = await h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
    const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';
    await h.kiosk.handlers['signIn.verify']({ challengeId, code: h.lastCode() });
    await h.kiosk.handlers['session.signOut']({});
    expect(seen).toEqual(['challenge', 'active', 'ready']);
  });
});
