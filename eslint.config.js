// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Layer boundaries (see ../shared/ARCHITECTURE.md): each layer may import only the layers below it.
const layerRule = (/** @type {{group: string[], message: string}[]} */ patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});
const noReact = { group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'recharts'], message: 'UI libraries belong to src/app only.' };
const noOrt = { group: ['onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node'], message: 'Only src/runtime/ imports onnxruntime-web.' };
const noApp = { group: ['**/app/**', '../app', '../../app'], message: 'Lower layers never import the app.' };
const noWorker = { group: ['**/worker/**', '../worker', '../../worker'], message: 'core and runtime never import the worker layer.' };
const noRuntime = { group: ['**/runtime/**', '../runtime', '../../runtime'], message: 'core never imports the runtime.' };
const noCli = { group: ['**/cli/**'], message: 'Nothing imports the CLI.' };
const noNode = { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'core/runtime/worker/app run in browsers: no Node built-ins.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/core/onnx/generated/**', 'test-results/**', 'playwright-report/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['src/core/**/*.ts'], ignores: ['src/**/*.test.ts'], rules: layerRule([noReact, noOrt, noApp, noWorker, noRuntime, noCli, noNode]) },
  { files: ['src/runtime/**/*.ts'], ignores: ['src/**/*.test.ts'], rules: layerRule([noReact, noApp, noWorker, noCli, noNode]) },
  { files: ['src/worker/**/*.ts'], ignores: ['src/**/*.test.ts'], languageOptions: { globals: globals.worker }, rules: layerRule([noReact, noApp, noCli, noNode]) },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.ts'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layerRule([
        noOrt, noCli, noNode,
        { group: ['**/runtime/**'], message: 'The app talks to the runtime through the worker client.' },
        { group: ['**/worker/*.worker', '**/worker/*.worker.ts', '**/worker/handlers/**'], message: 'The app uses src/worker/client.ts, not worker internals.' },
      ]),
      // The main thread may use core's types, never its heavy functions: those run in the worker.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        // …except pure string formatting shared with the exported reports (no dependencies, nothing heavy).
        { regex: '(^|/)core/(?!report/number-format$)', allowTypeImports: true, message: 'Import core types only (import type); call core through the worker client.' },
      ] }],
    },
  },
  { files: ['src/cli/**/*.ts', 'src/test-support/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', '*.config.{ts,js}', 'src/**/*.test.ts'], languageOptions: { globals: globals.node }, rules: layerRule([noReact, noApp]) },
);
