import { request } from 'node:http';
import type { Result } from '../../shared/result';
import type { Logger } from '../../src-main/core/base/log';
import { startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';
import { openDemoKiosk, type DemoKioskHarness } from '../core/kiosk-harness';
import { tempDir } from '../fakes';

export interface Reply {
  status: number;
  body: string;
}

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/**
 * A demo kiosk (fake clock, seeded randomness, real SQLite file) behind the real preview
 * transport, started in-process: `POST /rpc/<call>` over loopback HTTP with the per-launch
 * token and Origin, exactly as the renderer calls it.
 */
export interface PreviewTransport {
  h: DemoKioskHarness;
  server: PreviewServer;
  /** What the preview server logged. */
  logged: LoggedLine[];
  /** Posts a raw body (any bytes, any JSON or none) to `/rpc/<name>`. */
  post(name: string, body: string, headers?: Record<string, string>): Promise<Reply>;
  /** A contract call with a JSON input; the parsed reply. */
  call<T = unknown>(name: string, input: unknown): Promise<Result<T>>;
  close(): Promise<void>;
}

export async function openPreviewTransport(harness?: DemoKioskHarness): Promise<PreviewTransport> {
  const h = harness ?? (await openDemoKiosk());
  const renderer = tempDir('kiosk-renderer-');
  const logged: LoggedLine[] = [];
  const log: Logger = {
    info: (message, fields) => logged.push({ level: 'info', message, fields }),
    warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    error: (message, fields) => logged.push({ level: 'error', message, fields }),
  };
  const server = await startPreviewServer({ kiosk: h.kiosk, rendererDir: renderer.dir, port: 0, log });
  const origin = `http://127.0.0.1:${server.port}`;
  const post = (name: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: `/rpc/${name}`,
          headers: { Origin: origin, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...headers },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return {
    h,
    server,
    logged,
    post,
    call: async <T>(name: string, input: unknown) => JSON.parse((await post(name, JSON.stringify(input))).body) as Result<T>,
    close: async () => {
      await server.close();
      h.close();
      renderer.remove();
    },
  };
}
