import path from 'node:path';

/**
 * `--data-dir <dir>` (or `--data-dir=<dir>`) puts the kiosk's data somewhere else: the
 * Electron tests use it to get a fresh demo tenant per run.
 */
export function dataDirFromArgs(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith('--data-dir=') ? arg.slice('--data-dir='.length) : arg === '--data-dir' ? argv[i + 1] : undefined;
    if (value) return path.resolve(value);
  }
  return null;
}
