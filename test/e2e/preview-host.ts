import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningPreviewHost {
  url: string;
  /** Where the host keeps kiosk.db: a test may change the directory there, as a sync would. */
  dataDir: string;
  origin: string;
  token: string;
  stdout: () => string;
  stop(): Promise<void>;
}

/** Starts the built preview host (dist/main/preview.js) on a fresh demo tenant, as `npm run preview` does. */
export async function startPreviewHost(extraArgs: string[] = []): Promise<RunningPreviewHost> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/main/preview.js', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview host did not start: ${err}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /^Kiosk preview: (http:\/\/127\.0\.0\.1:\d+\/#\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`preview host exited with ${code}: ${err}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    dataDir,
    origin: parsed.origin,
    token: parsed.hash.slice(1),
    stdout: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
