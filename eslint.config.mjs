// ESLint for the whole tree: typescript-eslint's recommended rules, exhaustive switches over
// unions, and DESIGN.md's import rules (who may import whom) as import-x zones. Formatting is
// Prettier's job (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Server feature folders: they reach each other only through their index.ts. */
export const FEATURES = [
  'accounts',
  'admin',
  'assistant',
  'auth',
  'deploy',
  'files',
  'git',
  'preview',
  'projects',
  'runtime',
  'snapshots',
  'sync',
  'terminals',
  'transfer',
  'workspaces',
];

const featureZones = FEATURES.flatMap((target) =>
  FEATURES.filter((from) => from !== target).map((from) => ({
    target: `./server/${target}`,
    from: `./server/${from}`,
    except: ['./index.ts'],
    message: `Features reach each other only through index.ts: import from '../${from}' instead.`,
  })),
);

const layerZones = [
  {
    target: ['./app', './components'],
    from: './server',
    except: ['./contracts'],
    message: 'The browser side imports only components/, app/, server/contracts/ and packages.',
  },
  {
    target: './server/contracts',
    from: './server',
    except: ['./contracts'],
    message: 'server/contracts/ ships to the browser: it imports only zod and itself.',
  },
  ...['db', 'core'].map((folder) => ({
    target: `./server/${folder}`,
    from: './server',
    except: [`./${folder}`],
    message: `server/${folder}/ imports nothing from other server folders.`,
  })),
];

// The `berth` command line is bundled to run without Berth's server: it reaches only the contracts,
// the sync core and the workspace agent's file-system pieces (scanner, ignore rules, watcher).
const cliZones = [
  {
    target: './server/cli',
    from: './server',
    except: ['./cli', './contracts', './sync/core', './agent/snapshot', './agent/fs'],
    message: 'server/cli/ runs outside Berth: it imports only contracts, sync/core and agent/{snapshot,fs}.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      '.data/',
      'dist/',
      'public/',
      'test-results/',
      'playwright-report/',
      'server/db/generated/',
      'next-env.d.ts',
      // Seed files of users' projects, not Berth's code.
      'docker/templates/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Terminal output is escape sequences: matching them is the job of several patterns.
      'no-control-regex': 'off',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    // Tests may reach into another feature's test helpers; code may not.
    files: ['server/**/*.ts'],
    ignores: ['server/**/*.test.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...featureZones, ...cliZones] }] },
  },
  {
    files: ['app/**/*.tsx', 'components/**/*.ts', 'components/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Only the Docker driver talks to the engine (integration tests may, to check from outside).
    files: ['server/**/*.ts'],
    ignores: ['server/runtime/docker/**', 'server/**/*.int.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'dockerode', message: 'Only server/runtime/docker/ imports dockerode.' }] },
      ],
    },
  },
  {
    // Contracts ship to the browser: no package but zod (their unit tests never ship). After the
    // dockerode block, which this one replaces for these files.
    files: ['server/contracts/**/*.ts'],
    ignores: ['server/contracts/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\.)', message: 'server/contracts/ imports only zod and itself.' }] },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
