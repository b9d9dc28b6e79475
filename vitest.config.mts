import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __KIOSK_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Native modules and a real keychain: keep workers few on a 2-core machine.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
