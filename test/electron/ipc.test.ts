import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames, type CallName } from '../../shared/contract';
import { ipcCallChannel } from '../../shared/kiosk-bridge';
import { createDemoKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/base/log';
import { serveContractOverIpc } from '../../src-main/electron/ipc';
import { BrowserWindow, FakeFrame, FakeWebContents, ipcMain } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

let dataDir: string;
let kiosk: Kiosk;
let win: BrowserWindow;
let stopServing: () => void;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-ipc-'));
  kiosk = await createDemoKiosk({ dataDir, version: '0.0.0-test', log: silentLogger });
  win = new BrowserWindow({});
  stopServing = serveContractOverIpc(win as unknown as Electron.BrowserWindow, kiosk, silentLogger);
});

afterEach(() => {
  stopServing();
  kiosk.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Sender = { sender: unknown; senderFrame: unknown };
const fromKiosk = (): Sender => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });

function call(name: CallName, input: unknown, from: Sender = fromKiosk()) {
  const handler = ipcMain.handlers.get(ipcCallChannel(name));
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(from, input) as Promise<unknown>;
}

function sentEvents(channel: string) {
  return win.webContents.send.mock.calls.filter(([sent]) => sent === channel).map(([, payload]) => payload);
}

describe('contract over IPC', () => {
  it('registers one handler per contract call', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(callNames.map(ipcCallChannel).sort());
  });

  it('signs a user in and out from the kiosk frame', async () => {
    const start = vi.spyOn(kiosk.handlers, 'signIn.start');
    const started = await call('signIn.start', { phone: '+1 206 555 0100' });
    expect(start).toHaveBeenCalledWith({ phone: '+1 206 555 0100' });
    expect(started).toMatchObject({ ok: true, value: { state: 'challenge' } });
    const { value } = started as { value: { challengeId: string } };

    const [sms] = sentEvents('kiosk:event:demo.sms') as { body: string }[];
    const code = sms?.body.match(/\b\d{6}\b/)?.[0];
    expect(code).toBeDefined();

    const verified = await call('signIn.verify', { challengeId: value.challengeId, code });
    expect(verified).toMatchObject({ ok: true, value: { state: 'active', user: { displayName: 'Alex Rivera' } } });
    expect(sentEvents('kiosk:event:session.changed')).toContainEqual(expect.objectContaining({ state: 'active' }));

    expect(await call('session.signOut', {})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'user' } });
  });

  describe('refuses a sender that is not the kiosk window top frame', () => {
    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };
    const senders: [string, () => Sender][] = [
      ['a subframe of the kiosk window', () => ({ sender: win.webContents, senderFrame: new FakeFrame('app://kiosk/index.html') })],
      ['another web contents', () => {
        const other = new FakeWebContents();
        return { sender: other, senderFrame: other.mainFrame };
      }],
      ['a frame that is gone', () => ({ sender: win.webContents, senderFrame: null })],
      ['the kiosk frame after it navigated away', () => {
        win.webContents.mainFrame.url = 'https://evil.example/';
        return fromKiosk();
      }],
    ];

    it.each(senders)('%s', async (_name, sender) => {
      const start = vi.spyOn(kiosk.handlers, 'signIn.start');
      expect(await call('signIn.start', { phone: '+1 206 555 0100' }, sender())).toEqual(forbidden);
      expect(start).not.toHaveBeenCalled();
      expect(sentEvents('kiosk:event:demo.sms')).toEqual([]);
    });

    it('a closed window', async () => {
      const start = vi.spyOn(kiosk.handlers, 'signIn.start');
      const sender = fromKiosk();
      win.destroyed = true;
      expect(await call('signIn.start', { phone: '+1 206 555 0100' }, sender)).toEqual(forbidden);
      expect(start).not.toHaveBeenCalled();
    });
  });

  it.each([
    ['a number where a string belongs', { phone: 12065550100 }],
    ['a huge string', { phone: '1'.repeat(1_000_000) }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "phone": "+1 206 555 0100"}')],
    ['an unknown key', { phone: '+1 206 555 0100', admin: true }],
    ['null', null],
    ['a bare string', '+1 206 555 0100'],
    ['an array', ['+1 206 555 0100']],
  ])('answers input.invalid to %s without reaching the core', async (_name, input) => {
    const start = vi.spyOn(kiosk.handlers, 'signIn.start');
    const result = await call('signIn.start', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(start).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers input.invalid to a malformed verify', async () => {
    const result = await call('signIn.verify', { challengeId: '../../etc', code: '12345678901234567890' });
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it('stops forwarding events once the window is closed', () => {
    win.destroyed = true;
    kiosk.events.emit('session.changed', { state: 'ready' });
    expect(win.webContents.send).not.toHaveBeenCalled();
  });

  it('removes its handlers and event forwarding when disposed', () => {
    stopServing();
    expect(ipcMain.handlers.size).toBe(0);
    kiosk.events.emit('session.changed', { state: 'ready' });
    expect(win.webContents.send).not.toHaveBeenCalled();
    stopServing = () => {};
  });
});
