// Helpers for this module's integration tests: a private data folder the postgres user
// can enter (mkdtemp makes 0700 folders, which it cannot when we run as root).
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DbLog } from './log'

export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  await chmod(path, 0o755)
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export const silentLog: DbLog = { info: () => {}, warn: () => {}, error: () => {} } as unknown as DbLog
