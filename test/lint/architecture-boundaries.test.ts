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
  ])('refuses %s importing across a boundary', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
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
  });
});
