// House rules the compiler cannot check (docs/plugins.md, shared STYLE.md), enforced by
// `npm run lint` (part of `npm test`): plugins import only the public entry points, core imports
// no plugin except its composition roots, and there are no import cycles.
// Run from the repository root: eslint --config .ci/eslint.config.mjs (paths below are relative to it).
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** Core files that compose a whole application and so may import plugins. */
const COMPOSITION_ROOTS = ['core/cli/main.ts', 'core/bench/main.ts'];

const PUBLIC_ENTRY = 'core/index (or the tensor-free core/augment)';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/build/**'] },
  // The code's eslint-disable comments are for editors that run typescript-eslint's own rules.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  {
    files: ['core/**/*.ts', 'plugins/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    // typescript-eslint's plugin is loaded (no rules on) so the code's eslint-disable comments for its rules resolve.
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
      // no-cycle parses the imported files too: with typescript-eslint's parser, as .ts.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // Type-only imports count too: a cycle of types is still a design cycle.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['plugins/*/**/*.ts'],
    ignores: ['plugins/*/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^\\.\\./(?!\\.\\./core/(index|augment)$)',
          message: `A plugin imports only ${PUBLIC_ENTRY} and its own files: not core internals, not another plugin.`,
        }],
      }],
    },
  },
  {
    // Tests of a plugin may also use the built-in plugin set (plugins/index) to train a method, and test/support helpers.
    files: ['plugins/*/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^\\.\\./(?!\\.\\./core/(index|augment)$|index$|\\.\\./test/support/)',
          message: `A plugin test imports only ${PUBLIC_ENTRY}, plugins/index, test/support and the plugin's own files.`,
        }],
      }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: COMPOSITION_ROOTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '(^|/)plugins(/|$)',
          message: `core knows no plugin; only the composition roots (${COMPOSITION_ROOTS.join(', ')}) may import plugins. Move the code to a plugin or to test/.`,
        }],
      }],
    },
  },
);
