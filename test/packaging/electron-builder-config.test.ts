import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

// Packaging downloads Electron, which these machines cannot; so the configuration is
// checked against the JSON schema electron-builder itself validates with.
const root = path.resolve(import.meta.dirname, '../..');
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds every installer IT asked for', () => {
    const targets = (platform: string) =>
      ((config[platform] as { target: Array<{ target: string }> }).target ?? []).map((t) => t.target);
    expect(targets('win')).toEqual(['nsis', 'msi']);
    expect(targets('linux')).toEqual(['deb', 'AppImage']);
    expect(targets('mac')).toEqual(['dmg']);
  });

  it('names icons that exist and packages the entry point package.json names', () => {
    const resources = path.join(root, (config.directories as { buildResources: string }).buildResources);
    for (const platform of ['win', 'linux', 'mac']) {
      expect(existsSync(path.join(resources, (config[platform] as { icon: string }).icon))).toBe(true);
    }
    const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
    expect(main).toBe('dist/main/main.js');
    expect(config.files).toContain('dist/**');
  });

  it('sets the fuses that stop a kiosk binary being used as a Node runtime', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});
