/**
 * The sync worker thread's entry (dist/main/sync-worker.js): fetches, verifies, parses,
 * normalises and applies the directory on its own SQLite connection, off the thread that
 * serves the contract. Only what the commit changed goes back, as one small message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../base/clock';
import { defaultAuditRetention } from '../directory/directory-snapshot';
import { AuditLog } from '../idp/audit-log';
import { phoneKeyer } from '../idp/phone-key';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { AuditRepository } from '../store/audit-repository';
import { directoryFileOf, openDatabase, openDirectoryDatabase } from '../store/database';
import { catchUpWithDirectory, DirectoryCommitRepository } from '../store/directory-commits';
import { DirectoryRepository } from '../store/directory-repository';
import { SyncStateRepository } from '../store/sync-state-repository';
import { createDirectorySource } from './directory-source-options';
import { SyncRefusedError } from './directory-source';
import { fetchAndApply } from './sync-attempt';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './sync-worker-protocol';

const port = parentPort;
if (!port) throw new Error('sync-worker-thread runs as a worker thread only');
const data = workerData as SyncWorkerData;

const secrets = new MemorySecretStore();
// Two connections: the directory file's, which this thread alone writes (its long
// transaction locks only that file), and the kiosk file's for the short second one.
const kioskDb = openDatabase(data.databaseFile);
const directoryDb = openDirectoryDatabase(directoryFileOf(data.databaseFile));
const directory = new DirectoryRepository(directoryDb);
const commits = new DirectoryCommitRepository(directoryDb);
const catchUp = (commit: Parameters<typeof catchUpWithDirectory>[1]) => void catchUpWithDirectory(kioskDb, commit);
const state = new SyncStateRepository(kioskDb, data.sourceId);
const source = createDirectorySource(data.source, { secrets, clock: systemClock });
const auditEvents = new AuditRepository(kioskDb);
const retention = () => {
  const stored = directory.kioskSettings();
  return stored ? { days: stored.auditRetentionDays, maxRows: stored.auditMaxRows } : defaultAuditRetention;
};
const running = new Map<number, AbortController>();

port.on('message', (message: ToSyncWorker) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  void attempt(message);
});

async function attempt(message: Extract<ToSyncWorker, { type: 'attempt' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    for (const [name, value] of Object.entries(message.secrets)) await secrets.set(name, value);
    const audit = new AuditLog(auditEvents, systemClock, phoneKeyer(Buffer.from(message.phoneKey, 'base64')), retention);
    const applied = await fetchAndApply({ source, sourceId: data.sourceId, state, directory, commits, catchUp, audit, clock: systemClock }, message.known, controller.signal);
    reply({ type: 'applied', id: message.id, applied });
    // After the reply: the kiosk acts on the new directory while this thread copies the log.
    if (applied && applied !== 'aborted') directory.checkpoint();
  } catch (error) {
    if (error instanceof SyncRefusedError) reply({ type: 'refused', id: message.id, reason: error.reason, message: error.message, retryAt: error.retryAt });
    else reply({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    running.delete(message.id);
    for (const name of Object.keys(message.secrets)) await secrets.delete(name);
  }
}

function reply(message: FromSyncWorker): void {
  port!.postMessage(message);
}
