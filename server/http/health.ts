// /api/health: the process answers. /api/ready: the database answers too.
import type { ServerResponse } from 'node:http';
import { DATABASE_RETRY_AFTER_SECONDS } from '../core/errors';
import { sendJson } from './router';

export function sendHealth(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

export async function sendReadiness(res: ServerResponse, ping: () => Promise<boolean>): Promise<void> {
  const databaseUp = await ping().catch(() => false);
  if (!databaseUp) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  sendJson(res, databaseUp ? 200 : 503, {
    status: databaseUp ? 'ready' : 'unavailable',
    database: databaseUp ? 'up' : 'down',
  });
}
