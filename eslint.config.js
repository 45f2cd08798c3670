import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/views/**', 'src/host/console/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/services/**', '**/host/server/**', '**/plugin/**', 'node:*'] }],
    },
  },
  {
    files: ['src/common/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/services/**', '**/host/**', '**/plugin/**', '**/views/**', 'node:*'] }],
    },
  },
  {
    files: ['src/services/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/host/**', '**/plugin/**', '**/views/**', '**/daemon/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/host/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/plugin/**', '**/views/**'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
