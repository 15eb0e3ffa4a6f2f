// Every request to the agent must carry the workspace's secret; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function createSecretCheck(secret: string): (req: IncomingMessage) => boolean {
  if (secret.length < 16) throw new Error('BERTH_AGENT_SECRET must be at least 16 characters');
  const expected = digest(secret);
  return (req) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}
