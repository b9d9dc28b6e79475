/** Types for npm-dependencies.mjs, so the TypeScript tests can import it. */
export interface Lockfile {
  packages?: Record<string, { version?: string; optional?: boolean; link?: boolean }>;
}
export function installMismatch(lock: Lockfile, installed: Lockfile | null, isPresent: (key: string) => boolean): string | null;
export function npmCiEnvironment(env: NodeJS.ProcessEnv, systemHeadersVersion: string | null, nodeVersion: string): NodeJS.ProcessEnv;
export function ensureNpmDependencies(options: { root: string; beforeInstall?: () => void }): void;
