import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../src-main/core/clock';
import type { RandomSource } from '../src-main/core/random';

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  constructor(private time = Date.UTC(2026, 10, 22, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  /** Moves forward to `time` (never back). */
  advanceTo(time: number): void {
    this.time = Math.max(this.time, time);
  }
}

/** Deterministic bytes from a seed (SHA-256 in counter mode): repeatable runs, still well spread. */
export function seededRandom(seed = 'kiosk-tests'): RandomSource {
  let counter = 0;
  return {
    bytes(count: number): Buffer {
      const out: Buffer[] = [];
      let have = 0;
      while (have < count) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.push(block);
        have += block.length;
      }
      return Buffer.concat(out).subarray(0, count);
    },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'kiosk-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
