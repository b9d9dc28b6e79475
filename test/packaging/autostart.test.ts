import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(`assets/autostart/${file}`, 'utf8');
const builder = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as { productName: string; appId: string };

describe('starting at boot', () => {
  it('restarts the kiosk on Linux whenever it exits, from where the deb installs it', () => {
    const unit = read('frontline-kiosk.service');
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toContain(`ExecStart="/opt/${builder.productName}/frontline-kiosk"`);
    expect(unit).toMatch(/^WantedBy=graphical-session.target$/m);
    expect(read('frontline-kiosk.desktop')).toContain(`Exec="/opt/${builder.productName}/frontline-kiosk"`);
  });

  it('keeps the kiosk alive on macOS, under the app id the installer uses', () => {
    const plist = read('com.frontlinekiosk.app.plist');
    expect(plist).toContain(`<string>${builder.appId}</string>`);
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<true\/>/);
    expect(plist).toContain(`/Applications/${builder.productName}.app/Contents/MacOS/${builder.productName}`);
  });

  it('adds a machine-wide Run entry on Windows for the per-machine install', () => {
    const script = read('install-autostart.ps1');
    expect(script).toContain('HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(script).toContain(`${builder.productName}\\${builder.productName}.exe`);
  });
});
