// DESIGN.md's import rules are enforced by ESLint (eslint.config.mjs; `npm test` lints the whole
// tree). This proves the configuration still catches each kind of violation: a planted import
// that breaks a rule must be reported by the rule that guards it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the config is plain JavaScript without type declarations
import { FEATURES } from '../eslint.config.mjs';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function rulesBrokenBy(filePath: string, code: string): Promise<string[]> {
  expect(existsSync(path.join(root, filePath)), `${filePath} must exist for the probe`).toBe(true);
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('import rules (ESLint)', { timeout: 60_000 }, () => {
  it('app/ and components/ import only components/, server/contracts/ and packages', async () => {
    const code = "import { loadConfig } from '@/server/config';\nexport const x = loadConfig;\n";
    expect(await rulesBrokenBy('components/ide/workbench-socket.ts', code)).toContain('import-x/no-restricted-paths');
    const allowed = "import { projectRefSchema } from '@/server/contracts';\nexport const x = projectRefSchema;\n";
    expect(await rulesBrokenBy('components/ide/workbench-socket.ts', allowed)).toEqual([]);
  });

  it('server/contracts/ imports only zod and itself (it ships to the browser)', async () => {
    const code = "import { readFile } from 'node:fs';\nexport const x = readFile;\n";
    expect(await rulesBrokenBy('server/contracts/files.ts', code)).toContain('no-restricted-imports');
  });

  it('server/db/ and server/core/ import nothing from other server folders', async () => {
    const code = "import { LockService } from '../files';\nexport const x = LockService;\n";
    expect(await rulesBrokenBy('server/core/errors.ts', code)).toContain('import-x/no-restricted-paths');
  });

  it('features reach each other only through index.ts', async () => {
    const deep = "import { LockService } from '../files/lock-service';\nexport const x = LockService;\n";
    expect(await rulesBrokenBy('server/terminals/terminal-service.ts', deep)).toContain('import-x/no-restricted-paths');
    const viaIndex = "import { LockService } from '../files';\nexport const x = LockService;\n";
    expect(await rulesBrokenBy('server/terminals/terminal-service.ts', viaIndex)).toEqual([]);
  });

  it('server/cli/ imports only contracts, sync/core and the agent’s file-system pieces', async () => {
    const code = "import { openDatabase } from '../db';\nexport const x = openDatabase;\n";
    expect(await rulesBrokenBy('server/cli/cli.ts', code)).toContain('import-x/no-restricted-paths');
    const allowed = "import { runSync } from '../sync/core/run-sync';\nexport const x = runSync;\n";
    expect(await rulesBrokenBy('server/cli/cli.ts', allowed)).toEqual([]);
  });

  it('only server/runtime/docker/ imports dockerode', async () => {
    const code = "import Docker from 'dockerode';\nexport const x = Docker;\n";
    expect(await rulesBrokenBy('server/files/file-service.ts', code)).toContain('no-restricted-imports');
  });

  it('a switch over a union must handle every member', async () => {
    const code = [
      "type Side = 'left' | 'right';",
      'export function sign(side: Side): number {',
      '  switch (side) {',
      "    case 'left':",
      '      return -1;',
      '  }',
      '  return 0;',
      '}',
      '',
    ].join('\n');
    expect(await rulesBrokenBy('server/files/file-service.ts', code)).toContain(
      '@typescript-eslint/switch-exhaustiveness-check',
    );
  });

  it('the feature list names every server folder that is a feature (one with an index.ts)', () => {
    const notFeatures = new Set(['agent', 'cli', 'contracts', 'core', 'db', 'http', 'pages', 'socket', 'test-support']);
    const folders = readdirSync(path.join(root, 'server')).filter(
      (entry) => statSync(path.join(root, 'server', entry)).isDirectory() && !notFeatures.has(entry),
    );
    expect([...(FEATURES as string[])].sort()).toEqual(folders.sort());
  });
});
