import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLogger, redact } from '../../src-main/core/file-log';
import { tempDir } from '../fakes';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('kiosk-log-');
});
afterEach(() => temp.remove());

describe('the kiosk log', () => {
  it('never holds a code, a phone number or a token, however a caller slips', () => {
    expect(redact('sent 123456 to +1 (206) 555-0100, token eyJhbGciOiJFZERTQSJ9abcdefghijklmnopqrstuvwxyz')).toBe('sent [redacted] to [redacted], token [redacted]');
    expect(redact('retry 3 of 5 after 30 s, HTTP 503')).toBe('retry 3 of 5 after 30 s, HTTP 503');
  });

  it('writes JSON lines at the configured level and above', () => {
    const log = fileLogger({ dir: temp.dir, level: 'warn', now: () => Date.UTC(2026, 10, 22) });
    log.info('chatty');
    log.warn('sync failed', { reason: 'http-503', phone: '+12065550100' });
    const lines = readFileSync(path.join(temp.dir, 'kiosk.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([{ at: '2026-11-22T00:00:00.000Z', level: 'warn', message: 'sync failed', fields: { reason: 'http-503', phone: '[redacted]' } }]);
  });

  it('rotates by size and keeps a bounded number of old files', () => {
    const log = fileLogger({ dir: temp.dir, level: 'info', maxBytes: 2_000, keep: 3 });
    for (let i = 0; i < 200; i += 1) log.info(`event ${i}`, { detail: 'x'.repeat(20) });
    expect(readdirSync(temp.dir).sort()).toEqual(['kiosk.1.log', 'kiosk.2.log', 'kiosk.3.log', 'kiosk.log']);
    expect(readFileSync(path.join(temp.dir, 'kiosk.log'), 'utf8')).toContain('event 199');
  });
});
