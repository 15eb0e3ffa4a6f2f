// The bench's own embedded PostgreSQL (the same code path Berth uses), in a temp folder.
import path from 'node:path';
import { startEmbeddedPostgres, type DbLog, type EmbeddedPostgres } from '../../server/db/index';
import type { Defer } from './cleanup';

const noop = () => undefined;
/** Quiet except for real trouble. */
export const benchDbLog = {
  info: noop,
  warn: (...args: unknown[]) => console.error('[postgres warn]', ...args),
  error: (...args: unknown[]) => console.error('[postgres error]', ...args),
} as unknown as DbLog;

/** Starts PostgreSQL with its cluster in `<dir>/postgres`; stopped by `defer`. */
export async function startBenchPostgres(dir: string, defer: Defer): Promise<EmbeddedPostgres> {
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), log: benchDbLog });
  defer('stop embedded PostgreSQL', () => pg.stop());
  return pg;
}
