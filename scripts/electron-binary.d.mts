/** Types for electron-binary.mjs, so the TypeScript tests can import it. */
export type ElectronBinary = { binary: string; reason: null } | { binary: null; reason: string };
export function findElectronBinary(): ElectronBinary;
