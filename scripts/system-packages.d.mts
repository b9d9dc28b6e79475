/** Types for system-packages.mjs, so the TypeScript tests can import it. */
export type OsFamily = 'debian' | 'ubuntu' | 'linux' | 'darwin' | 'other';
export type Need = 'install' | 'test';
export interface SystemPackage {
  name: string;
  need: Need;
  why: string;
  probe?: string[];
}
export type SystemSetupPlan =
  | { kind: 'ready' }
  | { kind: 'install'; packages: string[]; announce: string; commands: string[][] }
  | { kind: 'stop'; message: string };
export const systemPackages: SystemPackage[];
export function osFamily(platform: string, osRelease: string): OsFamily;
export function requiredPackages(family: OsFamily, needs: Need[], env: NodeJS.ProcessEnv): SystemPackage[];
export function installedDebianPackages(dpkgOutput: string): Set<string>;
export function planSystemSetup(situation: {
  who: string;
  family: OsFamily;
  missing: Array<Pick<SystemPackage, 'name' | 'why'>>;
  isRoot: boolean;
  hasSudo: boolean;
}): SystemSetupPlan;
export function ensureSystemPackages(options: { who: string; needs: Need[] }): void;
