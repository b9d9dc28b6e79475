import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The boundary messages ESLint gives this code as if it lived at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'kiosk/architecture-boundaries').map((m) => m.message);
}

describe('the architecture boundary lint rule (DESIGN.md)', () => {
  it.each([
    ['src-main/core/idp/x.ts', "import { app } from 'electron';\nexport const a = app;", "Only src-main/electron may import 'electron'"],
    ['src-main/core/x.ts', "import { registerIpc } from '../electron/ipc';\nexport const a = registerIpc;", 'core may not import electron-shell'],
    ['src-main/core/x.ts', "export { startPreviewServer } from '../preview/preview-server';", 'core may not import preview'],
    ['src-main/core/x.ts', "export const load = () => import('../electron/main');", 'core may not import electron-shell'],
    ['src-renderer/x.ts', "import { createDemoKiosk } from '../src-main/core/kiosk';\nexport const a = createDemoKiosk;", 'renderer may not import core'],
    ['src-renderer/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;", "renderer runs outside Node and may not import 'better-sqlite3'"],
    ['src-renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;", "may not import 'node:fs'"],
    ['shared/x.ts', "import { App } from '../src-renderer/App';\nexport const a = App;", 'shared may not import renderer'],
    ['shared/x.ts', "import { dispatchCall } from '../src-main/core/contract-dispatch';\nexport const a = dispatchCall;", 'shared may not import core'],
    ['src-main/preview/x.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;", "Only src-main/electron may import 'electron'"],
    ['src-main/x.ts', "import { app } from 'electron';\nexport const a = app;", "Only src-main/electron may import 'electron'"],
    ['src-renderer/x.ts', "import { EventEmitter } from 'events';\nexport const a = EventEmitter;", "may not import 'events'"],
    ['shared/x.ts', "import { promisify } from 'util';\nexport const a = promisify;", "may not import 'util'"],
    // Inside core, DESIGN.md's order: directory ← store ← idp, sms ← session, sso, sync ← handlers ← kiosk.ts.
    ['src-main/core/store/x.ts', "import { SyncStateRepository } from '../sync/sync-state';\nexport const a = SyncStateRepository;", 'core/store may not import core/sync'],
    ['src-main/core/idp/x.ts', "import { runSync } from '../sync/sync-scheduler';\nexport const a = runSync;", 'core/idp may not import core/sync'],
    ['src-main/core/idp/x.ts', "import { DeviceSession } from '../session/device-session';\nexport const a = DeviceSession;", 'core/idp may not import core/session'],
    ['src-main/core/directory/x.ts', "import { openDatabase } from '../store/database';\nexport const a = openDatabase;", 'core/directory may not import core/store'],
    ['src-main/core/sms/x.ts', "import type { AuditLog } from '../idp/audit-log';\nexport type A = AuditLog;", 'core/sms may not import core/idp'],
    ['src-main/core/session/x.ts', "import { GraphDirectorySource } from '../sync/graph/graph-source';\nexport const a = GraphDirectorySource;", 'core/session may not import core/sync'],
    ['src-main/core/handlers/x.ts', "import { createKiosk } from '../kiosk';\nexport const a = createKiosk;", 'core/handlers may not import core/kiosk'],
  ])('refuses %s importing across a boundary', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['src-main/core/sync/x.ts', "import type { AuditLog } from '../idp/audit-log';\nimport { ALL_USERS } from '../directory/directory-snapshot';\nexport type A = [AuditLog, typeof ALL_USERS];"],
    ['src-main/core/store/x.ts', "import type { E164 } from '../directory/phone-number';\nexport type A = E164;"],
    ['src-main/core/x.ts', "import { DeviceSession } from './session/device-session';\nexport const a = DeviceSession;"],
  ])('allows core/%s to import the folders below it', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it.each([
    ['src-main/core/x.ts', "import { calls } from '../../shared/contract';\nexport const a = calls;"],
    ['src-main/electron/x.ts', "import { app } from 'electron';\nimport { createDemoKiosk } from '../core/kiosk';\nexport const a = [app, createDemoKiosk];"],
    ['src-main/preview/x.ts', "import { createDemoKiosk } from '../core/kiosk';\nexport const a = createDemoKiosk;"],
    ['src-renderer/x.ts', "import { calls } from '../shared/contract';\nexport const a = calls;"],
  ])('allows %s to import what DESIGN.md permits', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it('finds no violation in the project as it stands', async () => {
    const results = await eslint.lintFiles(['shared', 'src-main', 'src-renderer']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'kiosk/architecture-boundaries').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
    // Linting the whole tree takes tens of seconds on a loaded 2-core machine.
  }, 180_000);
});
