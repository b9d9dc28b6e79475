import dns from 'node:dns';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/base/log';
import { startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';
import { tempDir } from '../fakes';

/**
 * Demo mode makes no network request at all. Every outbound connection and DNS look-up
 * made while the demo runs is caught here — and refused before any packet leaves — so a
 * single one fails the test. Loopback is the test's own HTTP client talking to the host.
 */
const attempts: string[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;
/** What the guard hands allowed connections to; the self-check swaps in one that never connects. */
let passThrough: (...args: unknown[]) => unknown = originalConnect as (...args: unknown[]) => unknown;

function isLoopback(host: unknown): boolean {
  return host === undefined || host === 'localhost' || (typeof host === 'string' && (host.startsWith('127.') || host === '::1'));
}

beforeEach(() => {
  attempts.length = 0;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    // net.connect() hands over its normalised arguments as one array: [options, callback].
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const options = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as { host?: string; path?: string };
    if (!options.path && !isLoopback(options.host)) {
      attempts.push(`connect ${String(options.host)}`);
      throw new Error(`outbound connection to ${String(options.host)} refused by the offline-demo test`);
    }
    return passThrough.apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    if (!isLoopback(hostname)) attempts.push(`lookup ${hostname}`);
    return (originalLookup as (...a: unknown[]) => unknown)(isLoopback(hostname) ? hostname : 'localhost', ...rest);
  };
});

afterEach(() => {
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
});

describe('the offline demo', () => {
  it('catches an outbound connection when one is made (the guard works)', () => {
    // Should the guard miss it, this stand-in fails the test instead of connecting anywhere.
    passThrough = () => {
      throw new Error('the guard let an outbound connection through');
    };
    try {
      expect(() => net.connect({ host: '192.0.2.1', port: 443 })).toThrow(/refused by the offline-demo test/);
      expect(() => new net.Socket().connect(443, '192.0.2.1')).toThrow(/refused by the offline-demo test/);
    } finally {
      passThrough = originalConnect as (...args: unknown[]) => unknown;
    }
    expect(attempts).toEqual(['connect 192.0.2.1', 'connect 192.0.2.1']);
  });

  it('signs a worker in and out, texts and all, without a single outbound connection', async () => {
    const temp = tempDir('kiosk-offline-');
    let kiosk: Kiosk | undefined;
    let server: PreviewServer | undefined;
    try {
      kiosk = await createDemoKiosk({ dataDir: temp.dir, version: 'test', log: silentLogger });
      const texts: string[] = [];
      kiosk.events.on('demo.sms', (sms) => texts.push(sms.body));
      server = await startPreviewServer({ kiosk, rendererDir: temp.dir, port: 0, log: silentLogger });
      const origin = `http://127.0.0.1:${server.port}`;
      const call = async (name: string, input: unknown) => {
        const response = await fetch(`${origin}/rpc/${name}`, {
          method: 'POST',
          headers: { Origin: origin, Authorization: `Bearer ${server!.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        return (await response.json()) as { ok: boolean; value?: { state: string; challengeId?: string } };
      };
      const started = await call('signIn.start', { phone: '2065550100' });
      const code = /\b(\d{6})\b/.exec(texts[0]!)![1];
      expect(await call('signIn.verify', { challengeId: started.value!.challengeId, code })).toMatchObject({ ok: true, value: { state: 'active' } });
      await call('apps.list', {});
      expect(await call('session.signOut', {})).toMatchObject({ ok: true, value: { state: 'ready' } });
      expect(attempts).toEqual([]);
    } finally {
      await server?.close();
      kiosk?.close();
      temp.remove();
    }
  });
});
