import { Worker } from 'node:worker_threads';
import { PHONE_HMAC_KEY, type SecretStore } from '../secrets/secret-store';
import type { DirectoryCounts } from '../store/directory-repository';
import type { AppliedChange } from './apply-change';
import { SyncRefusedError } from './directory-source';
import { secretEntriesOf, type DirectorySourceOptions } from './directory-source-options';
import type { SyncAttempts } from './sync-attempt';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './sync-worker-protocol';

export interface SyncWorkerOptions {
  /** The built worker entry: dist/main/sync-worker.js, beside main.js. */
  workerFile: string;
  databaseFile: string;
  source: DirectorySourceOptions;
  sourceId: string;
  /** Read here, on the main thread, for each attempt: the worker never opens the keychain. */
  secrets: SecretStore;
}

type Pending = { resolve: (applied: AppliedChange | null | 'aborted') => void; reject: (error: Error) => void };

/**
 * Sync attempts on a worker thread (node:worker_threads, which Electron's main process has
 * too) with its own SQLite connection, so fetching and applying a large directory never
 * stalls the thread that serves the contract. The thread starts on the first attempt and
 * again after it dies; a dead thread fails the attempt in progress, which then changes
 * nothing (its transaction never committed).
 */
export class SyncWorker implements SyncAttempts {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SyncWorkerOptions) {}

  async attempt(known: DirectoryCounts, signal: AbortSignal): Promise<AppliedChange | null | 'aborted'> {
    const secrets = await this.readSecrets();
    if (this.closed || signal.aborted) return 'aborted';
    const phoneKey = await this.options.secrets.get(PHONE_HMAC_KEY);
    if (!phoneKey) throw new Error('the audit log key is missing from the keychain');
    const worker = this.start();
    const id = this.nextId++;
    const done = new Promise<AppliedChange | null | 'aborted'>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const abort = () => this.post({ type: 'abort', id });
    signal.addEventListener('abort', abort, { once: true });
    // Referenced only while an attempt runs: an idle worker never keeps the process alive.
    worker.ref();
    worker.postMessage({ type: 'attempt', id, known, secrets, phoneKey } satisfies ToSyncWorker);
    try {
      return await done;
    } finally {
      signal.removeEventListener('abort', abort);
      if (this.pending.size === 0) this.worker?.unref();
    }
  }

  close(): void {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.settleAll(new Error('the kiosk is closing'));
    void worker?.terminate();
  }

  private async readSecrets(): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const name of secretEntriesOf(this.options.source)) {
      const value = await this.options.secrets.get(name);
      // A missing entry stays missing: the source refuses with its own message naming it.
      if (value !== null) values[name] = value;
    }
    return values;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { workerFile, databaseFile, source, sourceId } = this.options;
    const worker = new Worker(workerFile, { workerData: { databaseFile, source, sourceId } satisfies SyncWorkerData });
    worker.unref();
    worker.on('message', (message: FromSyncWorker) => this.receive(message));
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) => this.died(worker, new Error(`the sync worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private receive(message: FromSyncWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'applied') pending.resolve(message.applied);
    else if (message.type === 'refused') pending.reject(new SyncRefusedError(message.reason, message.message, message.retryAt));
    else pending.reject(new Error(message.message));
  }

  private died(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.settleAll(error);
  }

  private settleAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private post(message: ToSyncWorker): void {
    this.worker?.postMessage(message);
  }
}
