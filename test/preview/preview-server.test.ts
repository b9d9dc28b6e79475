import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RPC_BODY_BYTES, startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';
import { rendererContentSecurityPolicy } from '../../src-main/core/renderer-files';
import { silentLogger } from '../../src-main/core/base/log';
import { openDemoKiosk, type DemoKioskHarness } from '../core/kiosk-harness';
import { tempDir } from '../fakes';

let h: DemoKioskHarness;
let server: PreviewServer;
let renderer: ReturnType<typeof tempDir>;
let origin: string;

beforeEach(async () => {
  h = await openDemoKiosk();
  // The renderer folder sits beside a secret, as dist/renderer sits beside the app's data.
  renderer = tempDir('kiosk-renderer-');
  const served = path.join(renderer.dir, 'renderer');
  mkdirSync(path.join(served, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer.dir, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(path.join(served, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(path.join(served, 'assets', 'app.js'), 'console.log(1)');
  server = await startPreviewServer({ kiosk: h.kiosk, rendererDir: served, port: 0, log: silentLogger });
  origin = `http://127.0.0.1:${server.port}`;
});

afterEach(async () => {
  await server.close();
  h.close();
  renderer.remove();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send what a browser never would (wrong Host, no Origin). */
function send(method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path: pathname, headers }, (res) => {
      let data = '';
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const rpc = (name: string, body: string, headers: Record<string, string> = {}) =>
  send('POST', `/rpc/${name}`, { Origin: origin, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...headers }, body);

describe('the preview host', () => {
  it('prints a loopback URL carrying the token in the fragment', () => {
    expect(server.url).toBe(`${origin}/#${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a contract call from the page with a typed result', async () => {
    const reply = await rpc('signIn.start', JSON.stringify({ phone: '2065550100' }));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { state: 'challenge', maskedPhone: '+1 ••• ••• 0100' } });
  });

  it.each([
    ['no token', { Authorization: '' }],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['another origin', { Origin: 'http://evil.example' }],
    ['no origin', { Origin: '' }],
  ])('refuses a call with %s and changes nothing', async (_what, headers) => {
    const reply = await rpc('signIn.start', JSON.stringify({ phone: '2065550100' }), headers);
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.texts).toHaveLength(0);
  });

  it('answers a malformed request target with 400, not an internal error', async () => {
    expect((await send('GET', 'http://[zz', {})).status).toBe(400);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const reply = await send('GET', '/', { Host: `attacker.example:${server.port}` });
    expect(reply.status).toBe(403);
  });

  it.each([
    ['malformed JSON', '{"phone":', 400, 'input.invalid'],
    ['an unknown call', '{}', 200, 'call.unknown'],
    ['a wrong type', '{"phone":5}', 200, 'input.invalid'],
  ])('answers %s with a typed error', async (_what, body, status, code) => {
    const name = code === 'call.unknown' ? 'admin.dropTables' : 'signIn.start';
    const reply = await rpc(name, body);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses a body over the size limit', async () => {
    const reply = await rpc('signIn.start', JSON.stringify({ phone: '1'.repeat(MAX_RPC_BODY_BYTES) }));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.code).toBe('input.invalid');
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const page = await send('GET', '/', {});
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(rendererContentSecurityPolicy);
    expect(page.body).toContain('<title>kiosk</title>');
    expect((await send('GET', '/assets/app.js', {})).headers['content-type']).toContain('javascript');
    for (const sneaky of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/%E0%A4%A', '/assets']) {
      const reply = await send('GET', sneaky, {});
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('TOP-SECRET');
    }
  });

  it('streams events only to a holder of the token', async () => {
    expect((await send('GET', '/events', {})).status).toBe(403);
    expect((await send('GET', '/events?token=wrong', {})).status).toBe(403);
    expect((await send('GET', `/events?token=${server.token}`, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);

    const events: string[] = [];
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: `/events?token=${server.token}` }, (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      res.on('data', (chunk) => events.push(String(chunk)));
    });
    req.end();
    await expect.poll(() => events.join('')).toContain(': connected');
    await rpc('signIn.start', JSON.stringify({ phone: '2065550100' }));
    await expect.poll(() => events.join('')).toContain('event: session.changed');
    expect(events.join('')).toContain('event: demo.sms');
    req.destroy();
  });
});
