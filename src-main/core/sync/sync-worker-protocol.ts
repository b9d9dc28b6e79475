import type { AppliedChange } from './apply-change';
import type { DirectorySourceOptions } from './directory-source-options';
import type { DirectoryCounts } from '../store/directory-repository';

/** What the sync worker thread is started with: no secret values, only where things are. */
export interface SyncWorkerData {
  /**
   * The kiosk's SQLite file: the worker writes the directory file beside it on a connection
   * of its own (the contract's connection, which attaches it, reads meanwhile: WAL), then the
   * kiosk file in a short transaction.
   */
  databaseFile: string;
  source: DirectorySourceOptions;
  sourceId: string;
}

/** Main → worker. Secrets travel with each attempt (read from the keychain on the main thread), so a rotated one is used at once. */
export type ToSyncWorker =
  | { type: 'attempt'; id: number; known: DirectoryCounts; secrets: Record<string, string>; phoneKey: string }
  | { type: 'abort'; id: number };

/** Worker → main: only the commit's consequences, small. */
export type FromSyncWorker =
  | { type: 'applied'; id: number; applied: AppliedChange | null | 'aborted' }
  | { type: 'refused'; id: number; reason: string; message: string; retryAt?: number }
  | { type: 'failed'; id: number; message: string };
