import { afterEach, describe, expect, it } from 'vitest';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

let h: DemoKioskHarness;
afterEach(() => h.close());

const start = (phone: string) => h.kiosk.handlers['signIn.start']({ phone });
const reasonFor = () => h.kiosk.audit.query({ types: ['signIn.start'], limit: 1 })[0];

describe('the demo tenant tells the whole story', () => {
  it('has a worker whose number is not enabled yet: no text, and IT sees why', async () => {
    h = await openDemoKiosk();
    await start('+1 206 555 0106');
    expect(h.texts).toHaveLength(0);
    expect(reasonFor()).toMatchObject({ reason: 'smsSignInState:notEnabled', userId: 'u-chris' });
  });

  it('has a worker with an office phone only: no text, a call reads her the code', async () => {
    h = await openDemoKiosk();
    const started = await start('+1 206 555 0108');
    expect(h.texts).toHaveLength(0);
    if (!started.ok || started.value.state !== 'challenge') throw new Error('expected the code screen');
    h.clock.advance(started.value.callAt! - h.clock.now());
    await h.kiosk.handlers['signIn.call']({ challengeId: started.value.challengeId });
    expect(h.texts).toMatchObject([{ channel: 'voice', maskedTo: '+1 ••• ••• 0108' }]);
  });

  it('has a worker locked out until a manager unlocks them', async () => {
    h = await openDemoKiosk();
    expect(await start('+1 206 555 0107')).toMatchObject({ ok: false, error: { code: 'signIn.locked' } });
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(await h.kiosk.handlers['admin.unlock']({ phone: '2065550107' })).toEqual({ ok: true, value: { unlocked: 1 } });
    expect(await start('+1 206 555 0107')).toMatchObject({ ok: true, value: { state: 'challenge' } });
  });

  it('goes back to how it started with "Reset demo", signing out whoever was in', async () => {
    h = await openDemoKiosk();
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    await h.kiosk.handlers['admin.unlock']({ phone: '2065550107' });
    const started = await start('+1 206 555 0100');
    const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';
    await h.kiosk.handlers['signIn.verify']({ challengeId, code: h.lastCode() });

    expect(await h.kiosk.handlers['admin.resetDemo']({})).toMatchObject({ ok: true, value: { mode: 'demo', users: 9 } });
    expect(await h.kiosk.handlers['session.current']({})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'admin' } });
    expect(await start('+1 206 555 0107')).toMatchObject({ ok: false, error: { code: 'signIn.locked' } });
  });
});
