import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, Scheduler } from '../src-main/core/base/clock';
import type { RandomSource } from '../src-main/core/base/random';

/**
 * A clock that moves only when the test says so, and a scheduler whose tasks run, in
 * order of their time, as the test moves the clock past them.
 */
export class FakeClock implements Clock, Scheduler {
  private tasks: Array<{ at: number; seq: number; task: () => void }> = [];
  private seq = 0;

  constructor(private time = Date.UTC(2026, 10, 22, 9, 0, 0)) {}

  now(): number {
    return this.time;
  }

  after(ms: number, task: () => void): () => void {
    const entry = { at: this.time + ms, seq: this.seq++, task };
    this.tasks.push(entry);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== entry);
    };
  }

  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Moves forward to `time` (never back), running every task that falls due on the way. */
  advanceTo(time: number): void {
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= time).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.task();
    }
    this.time = Math.max(this.time, time);
  }

  /** Tasks still waiting: lets a test see that nothing was left scheduled. */
  get pending(): number {
    return this.tasks.length;
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
