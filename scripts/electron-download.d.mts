/** Types for electron-download.mjs, so the TypeScript tests can import it. */
export type Reachability = { ok: true } | { ok: false; reason: string };
export type ElectronDownloadDecision = { download: true } | { download: false; reason: string };
export function electronDownloadUrl(target: { version: string; platform: string; arch: string; env: NodeJS.ProcessEnv }): string;
export function electronDownloadDecision(facts: {
  env: NodeJS.ProcessEnv;
  cached: boolean;
  reachable?: Reachability;
}): ElectronDownloadDecision | { probe: true };
export function decideElectronDownload(options: { version: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ElectronDownloadDecision>;
