// Lint: type-aware rules that catch what bites an event-driven telephony server (floating promises,
// non-exhaustive switches), plus one import site per outside system (see docs/architecture.md).
import tseslint from 'typescript-eslint';

const only = (name, where) => ({ name, message: `${name} is used only in ${where}` });
const ADAPTER_IMPORTS = [
  only('ws', 'telephony/ari/ari-link.ts'),
  only('socket.io', 'realtime/realtime.gateway.ts'),
  only('@socket.io/redis-adapter', 'realtime/realtime.gateway.ts'),
  only('redis', 'realtime/redis-link.ts'),
  only('argon2', 'auth/password-hasher.ts'),
  only('node-hid', 'the BusyLight HID transport'),
];
const MIKRO_ORM = { group: ['@mikro-orm/*'], message: 'MikroORM is used only in repositories and the database module' };
const BUSYLIGHT_NODE_ONLY = ['libs/busylight/src/node.ts', 'libs/busylight/src/transport/node-hid.transport.ts', 'libs/busylight/src/transport/recording.transport.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'data/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['apps/server/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ADAPTER_IMPORTS, patterns: [MIKRO_ORM] }] },
  },
  // libs/busylight outside its Node entry is bundled into the dashboard: no Node built-ins there.
  {
    files: ['libs/busylight/src/**/*.ts'],
    ignores: ['**/*.spec.ts', ...BUSYLIGHT_NODE_ONLY],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ADAPTER_IMPORTS, patterns: [MIKRO_ORM, { group: ['node:*', 'pino', 'socket.io-client'], message: 'the browser-safe part of libs/busylight runs in the dashboard too: Node-only code goes behind @leadline/busylight/node' }] },
      ],
    },
  },
  // The dashboard: WebHID only in its light transport, never the Node side of libs/busylight.
  {
    files: ['apps/dashboard/**/*.ts', 'apps/dashboard/**/*.tsx'],
    ignores: ['apps/dashboard/src/lights/webhid.transport.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [only('@leadline/busylight/node', 'the desk daemon (Node); the dashboard imports @leadline/busylight')] }],
      // TypeScript's DOM library has no navigator.hid, so any access to it goes through a cast: catch `.hid` itself.
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='hid']", message: 'navigator.hid (WebHID) is used only in lights/webhid.transport.ts' }],
    },
  },
  { files: ['apps/server/src/telephony/ari/ari-link.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['libs/busylight/src/transport/node-hid.transport.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['apps/server/src/auth/password-hasher.ts', 'apps/server/src/realtime/realtime.gateway.ts', 'apps/server/src/realtime/redis-link.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['apps/server/src/**/*.repository.ts', 'apps/server/src/database/**/*.ts', 'apps/server/src/health/health.service.ts'], rules: { 'no-restricted-imports': 'off' } },
  // CommonJS that Jest or node loads uncompiled (the shard sequencer, scripts/test-durations.js).
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.spec.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
