// Four projects: unit tests (no Asterisk, parallel), deployment checks (real tools, no Asterisk),
// integration tests (real Asterisk + SIPp, started once by the global setup and shared; each
// worker uses its own Stasis app name), and the docker stage (images built and run for real:
// CPU-heavy, so scripts/test.sh runs it on its own, after the timing-sensitive integration tests).
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: {
    '^@leadline/domain$': '<rootDir>/libs/domain/src',
    '^@leadline/contracts$': '<rootDir>/libs/contracts/src',
    '^@leadline/busylight$': '<rootDir>/libs/busylight/src',
    '^@leadline/busylight/node$': '<rootDir>/libs/busylight/src/node',
  },
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // Shards of about equal run time for scripts/test.sh's side-by-side integration runs.
  testSequencer: '<rootDir>/tests/harness/balanced-sequencer.js',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    // Deployment files checked with real tools (docker-compose config, systemd-analyze, the install
    // script in a scratch root); no Asterisk needed.
    { ...base, displayName: 'deploy', testMatch: ['<rootDir>/tests/deploy/**/*.spec.ts'], setupFilesAfterEnv: ['<rootDir>/tests/harness/setup-integration.ts'] },
    { ...base, displayName: 'docker', testMatch: ['<rootDir>/tests/docker/**/*.spec.ts'], setupFilesAfterEnv: ['<rootDir>/tests/harness/setup-integration.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/tests/harness/global-setup.ts',
      globalTeardown: '<rootDir>/tests/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/harness/setup-integration.ts'],
    },
  ],
};
