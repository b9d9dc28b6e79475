/**
 * Where the main process writes diagnostics. Callers pass codes and ids, never a code,
 * a secret or a full phone number.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.error(`[info] ${message}`, fields ?? ''),
  warn: (message, fields) => console.error(`[warn] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[error] ${message}`, fields ?? ''),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
