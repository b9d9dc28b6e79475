import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfigPath, locateConfig } from '../../../src-main/core/config/config-location';
import { deviceConfigJsonSchema, type DeviceConfigInput } from '../../../src-main/core/config/device-config';
import { loadDeviceConfig } from '../../../src-main/core/config/load-config';
import { directorySourceFor } from '../../../src-main/core/modes/live-services';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { FakeClock, tempDir } from '../../fakes';
import { trustedPublicPem } from '../sync/feed/feed-fixtures';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('kiosk-config-');
});
afterEach(() => temp.remove());

const validConfig = (): DeviceConfigInput => ({
  deviceName: 'Store 142 – till 3',
  site: 'Store 142',
  directory: { source: 'feed', feed: { location: 'https://kiosk-feeds.contoso.example/store-142/feed.json', publicKey: trustedPublicPem } },
  sms: { provider: 'twilio', accountSid: `AC${'a'.repeat(32)}`, authTokenSecret: 'twilio-auth-token', messagingServiceSid: `MG${'b'.repeat(32)}` },
});

function write(config: unknown, name = 'config.json'): string {
  const file = path.join(temp.dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

const load = (file: string, env: NodeJS.ProcessEnv = {}) => loadDeviceConfig({ path: file, explicit: true }, env);
const problem = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('the device configuration', () => {
  it('reads a valid file and fills in the defaults', () => {
    const config = load(write(validConfig()))!;
    expect(config).toMatchObject({ deviceName: 'Store 142 – till 3', syncIntervalMinutes: 15, adminPinSecret: 'admin-pin-hash', logLevel: 'info' });
  });

  it('means offline demo mode when there is none at the default place', () => {
    expect(loadDeviceConfig({ path: path.join(temp.dir, 'absent.json'), explicit: false }, {})).toBeNull();
  });

  it.each([
    ['a missing file named with --config', () => load(path.join(temp.dir, 'typo.json')), 'No configuration at'],
    ['broken JSON', () => load(write('{ "deviceName": "x", }')), 'is not valid JSON'],
    ['no device name', () => load(write({ ...validConfig(), deviceName: undefined })), 'deviceName: is missing: add it'],
    ['a secret written into the file', () => load(write({ ...validConfig(), sms: { ...validConfig().sms, authToken: 'hunter2' } })), 'sms'],
    ['a bad Twilio account SID', () => load(write({ ...validConfig(), sms: { ...validConfig().sms, accountSid: 'AC123' } })), 'sms.accountSid: must be the Twilio account SID'],
    [
      'both a sender number and a messaging service',
      () => load(write({ ...validConfig(), sms: { ...validConfig().sms, from: '+12065550100' } })),
      'sms.from: give exactly one of "from"',
    ],
    ['an unknown directory source', () => load(write({ ...validConfig(), directory: { source: 'ldap' } })), 'directory.source'],
    ['a keychain entry name with a slash', () => load(write({ ...validConfig(), adminPinSecret: '../etc' })), 'adminPinSecret: must name a keychain entry'],
  ])('refuses %s, naming the problem and where to look', (_what, run, expected) => {
    const message = problem(run);
    expect(message).toContain(expected);
  });

  it('takes the device name and log level from the environment over the file', () => {
    const config = load(write(validConfig()), { FRONTLINE_KIOSK_DEVICE_NAME: 'Till 9', FRONTLINE_KIOSK_LOG_LEVEL: 'debug' })!;
    expect(config).toMatchObject({ deviceName: 'Till 9', logLevel: 'debug' });
  });

  it('is found with --config, else FRONTLINE_KIOSK_CONFIG, else at the OS default', () => {
    expect(locateConfig(['--config', '/srv/kiosk.json'], {}, 'linux')).toEqual({ path: '/srv/kiosk.json', explicit: true });
    expect(locateConfig(['--config=/srv/k.json'], {}, 'linux')).toEqual({ path: '/srv/k.json', explicit: true });
    expect(locateConfig([], { FRONTLINE_KIOSK_CONFIG: '/opt/k.json' }, 'linux')).toEqual({ path: '/opt/k.json', explicit: true });
    expect(locateConfig([], {}, 'linux')).toEqual({ path: '/etc/frontline-kiosk/config.json', explicit: false });
    expect(defaultConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\FrontlineKiosk\\config.json');
    expect(defaultConfigPath('darwin', {})).toBe('/Library/Application Support/FrontlineKiosk/config.json');
    expect(() => locateConfig(['--config'], {}, 'linux')).toThrow(ConfigError);
  });

  it('is published as a JSON Schema equal to the one the code checks against, with an example that passes', () => {
    const committed = JSON.parse(readFileSync('docs/config.schema.json', 'utf8'));
    expect(committed).toEqual(deviceConfigJsonSchema());
    const example = JSON.parse(readFileSync('docs/config.example.json', 'utf8'));
    const config = load(write(example))!;
    expect(config).toMatchObject({ deviceName: example.deviceName });
    // Its key is a real Ed25519 key the feed source accepts.
    expect(() => directorySourceFor(config, { secrets: new MemorySecretStore(), clock: new FakeClock() })).not.toThrow();
  });
});

describe('real-tenant settings', () => {
  const twilioKey = { provider: 'twilio' as const, accountSid: `AC${'a'.repeat(32)}`, apiKeySid: `SK${'c'.repeat(32)}`, apiKeySecret: 'twilio-api-key-secret', from: '+12065550199' };

  it('takes a Twilio API key instead of the auth token, and lists its keychain entry', async () => {
    const { keychainEntriesOf } = await import('../../../src-main/core/config/device-config');
    const config = load(write({ ...validConfig(), sms: twilioKey }))!;
    expect(keychainEntriesOf(config)).toContainEqual({ name: 'twilio-api-key-secret', purpose: 'the Twilio API key secret' });
  });

  it('refuses both Twilio credentials at once, or a key without its secret, naming the field', () => {
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, authTokenSecret: 'twilio-auth-token' } })))).toMatch(/sms\.authTokenSecret: give either "authTokenSecret" or an API key/);
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, apiKeySecret: undefined } })))).toMatch(/sms\.apiKeySecret: an API key needs both/);
  });

  it('takes a fallback provider in sms.fallback, with the same schema and rules, and lists its keychain entries', async () => {
    const { keychainEntriesOf } = await import('../../../src-main/core/config/device-config');
    const fallback = { provider: 'webhook' as const, url: 'https://sms-gateway.contoso.example/send', signingSecret: 'sms-fallback-key' };
    const config = load(write({ ...validConfig(), sms: { ...twilioKey, fallback } }))!;
    expect(config.sms.fallback).toEqual(fallback);
    expect(keychainEntriesOf(config)).toContainEqual({ name: 'sms-fallback-key', purpose: 'the SMS webhook signing secret (fallback provider)' });
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, fallback: { ...fallback, url: 'http://sms.contoso.example' } } })))).toMatch(/sms\.fallback\.url: must use https:/);
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, fallback: { ...twilioKey, authTokenSecret: 'x' } } })))).toMatch(/sms\.fallback\.authTokenSecret: give either/);
    // One fallback, not a chain.
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, fallback: { ...fallback, fallback } } })))).toMatch(/sms\.fallback/);
  });

  it('takes callFrom, the Twilio voice number calls come from, only in E.164', () => {
    expect(load(write({ ...validConfig(), sms: { ...twilioKey, callFrom: '+12065550142' } }))!.sms).toMatchObject({ callFrom: '+12065550142' });
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, callFrom: 'CONTOSO' } })))).toMatch(/sms\.callFrom: must be a number in E\.164/);
  });

  it('holds every configurable endpoint to one rule: https, or plain http to this machine only', () => {
    const http = 'http://sms-gateway.contoso.example/send';
    expect(problem(() => load(write({ ...validConfig(), sms: { provider: 'webhook', url: http, signingSecret: 'sms-webhook-key' } })))).toMatch(/sms\.url: must use https:/);
    expect(problem(() => load(write({ ...validConfig(), sms: { ...twilioKey, baseUrl: 'http://twilio.example' } })))).toMatch(/sms\.baseUrl: must use https:/);
    expect(load(write({ ...validConfig(), sms: { provider: 'webhook', url: 'http://127.0.0.1:8080/send', signingSecret: 'sms-webhook-key' } }))).not.toBeNull();
  });

  it('names a national cloud, and refuses one it does not know', () => {
    const graph = { tenantId: 'contoso.onmicrosoft.us', clientId: '4a1b2c3d-5e6f-4a8b-9c0d-1e2f3a4b5c6d', clientSecret: 'graph-client-secret', groupIds: ['9a0e7c1d-0000-4000-a000-000000000001'], kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso' } };
    expect(load(write({ ...validConfig(), directory: { source: 'graph', graph: { ...graph, cloud: 'usGovDoD' } } }))!.directory).toMatchObject({ graph: { cloud: 'usGovDoD' } });
    expect(problem(() => load(write({ ...validConfig(), directory: { source: 'graph', graph: { ...graph, cloud: 'germany' } } })))).toMatch(/directory\.graph\.cloud/);
  });
});
