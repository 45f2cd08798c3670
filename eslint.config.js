import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** A relative import that climbs out of the importing room into `room` (host/x also from inside host/); at least `climb` levels up. */
function roomRegex(room, climb = 1) {
  const [top, sub] = room.split('/');
  const up = `(\\.\\./){${climb},}`;
  return sub ? `^${up}(${top}/)?${sub}/` : `^${up}${top}/`;
}

/** One no-restricted-imports block per room: `room glob → rooms (folders under src/) it may not import`. */
function arrows(rooms, climb = 1) {
  return Object.entries(rooms).map(([files, banned]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: banned.map((r) => (r === 'node:*' ? { group: ['node:*'], message: `${files} runs in the browser: no node:*` } : { regex: roomRegex(r, climb), message: `${files} may not import src/${r} (ARCHITECTURE.md dependency arrows)` })) },
      ],
    },
  }));
}

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
  // The dependency arrows of ARCHITECTURE.md, one block per room (each names what it may not import).
  // Browser rooms: views and website → elements, common; elements → common; host/console → elements, common.
  ...arrows({
    'src/views/**': ['services', 'host', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'website', 'node:*'],
    'src/website/**': ['services', 'host', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'views', 'node:*'],
    'src/elements/**': ['services', 'host', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'views', 'website', 'node:*'],
    'src/host/console/**': ['services', 'host/server', 'host/api', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'views', 'website', 'node:*'],
    'src/common/**': ['services', 'host', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'views', 'website', 'elements', 'node:*'],
    // Node rooms: services → common; plugin → services, common, host/api; daemon, fls, backoffice → services, common;
    // host/server → services, common, host/api; host/api → common; cli → everything Node-side but the plugin.
    'src/services/**': ['host', 'plugin', 'views', 'daemon', 'cli', 'fls', 'backoffice', 'website', 'elements'],
    'src/plugin/**': ['host/server', 'host/console', 'views', 'daemon', 'cli', 'fls', 'backoffice', 'website', 'elements'],
    'src/daemon/**': ['host', 'plugin', 'views', 'cli', 'fls', 'backoffice', 'website', 'elements'],
    'src/fls/**': ['host', 'plugin', 'views', 'daemon', 'cli', 'backoffice', 'website', 'elements'],
    'src/backoffice/**': ['host', 'plugin', 'views', 'daemon', 'cli', 'fls', 'website', 'elements'],
    'src/host/server/**': ['plugin', 'views', 'host/console', 'daemon', 'cli', 'fls', 'backoffice', 'website', 'elements'],
    'src/host/api/**': ['services', 'host/server', 'host/console', 'plugin', 'views', 'daemon', 'cli', 'fls', 'backoffice', 'website', 'elements', 'node:*'],
    'src/cli/**': ['plugin', 'views', 'host/console', 'website', 'elements'],
  }),
  // From a subfolder of common/, one "../" stays in common (common/backoffice is not src/backoffice).
  ...arrows({ 'src/common/*/**': ['services', 'host', 'plugin', 'daemon', 'cli', 'fls', 'backoffice', 'views', 'website', 'elements', 'node:*'] }, 2),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
