import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFromArgs } from '../../src-main/electron/launch-options';

describe('--data-dir', () => {
  it('is read as a separate argument or with =', () => {
    expect(dataDirFromArgs(['electron', 'main.js', '--data-dir', '/tmp/kiosk'])).toBe('/tmp/kiosk');
    expect(dataDirFromArgs(['electron', 'main.js', '--data-dir=/tmp/kiosk'])).toBe('/tmp/kiosk');
  });

  it('resolves a relative directory against the working directory', () => {
    expect(dataDirFromArgs(['--data-dir', 'kiosk-data'])).toBe(path.resolve('kiosk-data'));
  });

  it('is absent when not given or given without a value', () => {
    expect(dataDirFromArgs(['electron', 'main.js'])).toBeNull();
    expect(dataDirFromArgs(['electron', 'main.js', '--data-dir'])).toBeNull();
    expect(dataDirFromArgs(['electron', 'main.js', '--data-dir='])).toBeNull();
  });
});
