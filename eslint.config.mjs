// ESLint (flat config) with typescript-eslint: type-aware rules through the project service (each
// file checked with its package's tsconfig.json). Formatting is Prettier's (.prettierrc.json).
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/out/**', '**/generated/**', 'tmp/**', '**/*.cjs', '**/*.mjs', '**/*.js', '**/coverage/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Import hygiene: every import is declared by its package (tests, build configs and tools may use dev dependencies).
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: ['**/test/**', '**/tsup.config.ts', '**/jest.config.*', '**/tools/*/src/**'], includeTypes: true }],
      'import-x/no-duplicates': 'error',
      'import-x/first': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
    },
  },
  {
    // Tests and benchmark scripts read HTTP and JSON answers loosely; the packages' code keeps the rule.
    files: ['**/test/**/*.ts', 'tools/bench/src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
