import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDemoKiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import { startPreviewServer } from './preview-server';

/** `npm run preview [-- --port <n>] [-- --data-dir <dir>]`: prints one line, the URL to open. */

const usage = 'Usage: npm run preview -- [--port <0-65535>] [--data-dir <directory>]';

interface PreviewArgs {
  port: number;
  dataDir: string;
}

export function parsePreviewArgs(argv: readonly string[], defaultDataDir: string): PreviewArgs | string {
  const args: PreviewArgs = { port: 0, dataDir: defaultDataDir };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port') {
      if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) return `--port needs a number from 0 to 65535. ${usage}`;
      args.port = Number(value);
      i += 1;
    } else if (flag === '--data-dir') {
      if (!value || value.startsWith('--')) return `--data-dir needs a directory. ${usage}`;
      args.dataDir = path.resolve(value);
      i += 1;
    } else {
      return `Unknown option ${flag}. ${usage}`;
    }
  }
  return args;
}

// Only what needs attention reaches the terminal: the one line printed below is the interface.
const terminalLog: Logger = {
  info: () => {},
  warn: (message, fields) => console.error(`warning: ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`error: ${message}`, fields ?? ''),
};

async function main(): Promise<void> {
  const distDir = path.resolve(__dirname, '..');
  const args = parsePreviewArgs(process.argv.slice(2), path.resolve(distDir, '..', '.preview-data'));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  if (existsSync(args.dataDir) && !statSync(args.dataDir).isDirectory()) {
    console.error(`--data-dir ${args.dataDir} is a file; give a directory (a new one starts a fresh demo tenant).`);
    process.exit(2);
  }
  const kiosk = await createDemoKiosk({ dataDir: args.dataDir, version: __KIOSK_VERSION__, deviceName: 'Preview kiosk', log: terminalLog });
  const server = await startPreviewServer({ kiosk, rendererDir: path.join(distDir, 'renderer'), port: args.port, log: terminalLog }).catch(
    (error: NodeJS.ErrnoException) => {
      console.error(error.code === 'EADDRINUSE' ? `Port ${args.port} is already in use; choose another with --port.` : `Could not start the preview host: ${error.message}`);
      process.exit(1);
    },
  );
  console.log(`Kiosk preview: ${server.url}`);
  const stop = () => {
    void server.close().then(() => {
      kiosk.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Could not start the preview host: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
