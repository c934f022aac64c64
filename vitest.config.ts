import { defineConfig } from 'vitest/config';

/**
 * Two rings: `unit` (core and handlers with fakes, no I/O) and `stack` (adapters, the DingTalk client and the
 * end-to-end suite, against a local stack that `tests/stack-setup.ts` starts on free ports and stops after).
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    allowOnly: false,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        test: {
          name: 'stack',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/stack-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
