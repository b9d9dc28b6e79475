import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './test/chromium-path';

export default defineConfig({
  testDir: 'test',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: process.env.CI ? 'list' : [['list']],
  projects: [
    {
      name: 'browser',
      testMatch: /\/e2e\/.*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
        viewport: { width: 1100, height: 900 },
      },
    },
    {
      name: 'electron',
      testMatch: /.*\.electron\.spec\.ts$/,
    },
  ],
});
