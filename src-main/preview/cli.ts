import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/config/config-location';
import { loadKioskConfig } from '../core/modes/live-config';
import { createKiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import { startPreviewServer } from './preview-server';

/**
 * `npm run preview [-- --port <n>] [-- --data-dir <dir>] [-- --config <file>]`: prints one
 * line, the URL to open. With `--config` it runs that live configuration — its directory
 * source, SMS provider and keychain secrets — after the same checks the app makes at start.
 */

const usage = 'Usage: npm run preview -- [--port <0-65535>] [--data-dir <directory>] [--config <file>]';

interface PreviewArgs {
  port: number;
  dataDir: string;
  /** A live configuration to preview; none runs the offline demo. */
  config: string | null;
}

export function parsePreviewArgs(argv: readonly string[], defaultDataDir: string): PreviewArgs | string {
  const args: PreviewArgs = { port: 0, dataDir: defaultDataDir, config: null };
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
    } else if (flag === '--config') {
      if (!value || value.startsWith('--')) return `--config needs the path of a configuration file. ${usage}`;
      args.config = path.resolve(value);
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
  const parsedArgs = parsePreviewArgs(process.argv.slice(2), path.resolve(distDir, '..', '.preview-data'));
  if (typeof parsedArgs === 'string') {
    console.error(parsedArgs);
    process.exit(2);
  }
  // A live preview keeps its own database: it never mixes with the demo tenant's.
  const explicitDataDir = process.argv.includes('--data-dir');
  const args = parsedArgs.config && !explicitDataDir ? { ...parsedArgs, dataDir: `${parsedArgs.dataDir}-live` } : parsedArgs;
  if (existsSync(args.dataDir) && !statSync(args.dataDir).isDirectory()) {
    console.error(`--data-dir ${args.dataDir} is a file; give a directory (a new one starts a fresh demo tenant).`);
    process.exit(2);
  }
  let config;
  try {
    config = args.config ? loadKioskConfig({ path: args.config, explicit: true }) : null;
  } catch (error) {
    // The same words the app would show at start: the file, the field and the fix.
    if (error instanceof ConfigError) {
      console.error(`The configuration cannot be previewed: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const kiosk = config
    ? await createKiosk({ mode: 'live', config }, { dataDir: args.dataDir, version: __KIOSK_VERSION__, log: terminalLog, preview: true })
    : await createKiosk({ mode: 'demo' }, { dataDir: args.dataDir, version: __KIOSK_VERSION__, deviceName: 'Preview kiosk', log: terminalLog });
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
