// Shared Jest settings: TypeScript through SWC (type checking is its own `typecheck` target),
// workspace packages resolved to their sources so tests never need a build first.
const path = require('node:path');

const root = __dirname;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [require.resolve('@swc/jest'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  // p-limit and its helpers, and typebox, ship ESM only: let SWC turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(p-limit|yocto-queue|typebox)/)'],
  moduleNameMapper: {
    // (The private driver contract suite lives in tools/, before the packages/* rule.)
    '^@sqltrace/driver-contract$': path.join(root, 'tools/driver-contract/src/driver-contract.ts'),
    '^@sqltrace/store-contract$': path.join(root, 'tools/store-contract/src/repository-contract.ts'),
    '^@sqltrace/core/internal$': path.join(root, 'packages/core/src/internal.ts'),
    '^@sqltrace/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    '^@sqltrace/validator/jest$': path.join(root, 'packages/validator/src/jest.ts'),
    // The private fixture generator (tools/fixtures), for tests that build a workload log.
    '^@sqltrace/fixtures/(.*)$': path.join(root, 'tools/fixtures/$1'),
  },
  testTimeout: 60000,
  reporters: ['default', path.join(root, 'tools/ci/count-reporter.cjs')],
};
