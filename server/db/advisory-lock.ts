// Runs `fn` only if this process takes the named PostgreSQL advisory lock (transaction-scoped,
// so it is released even if the process dies). Returns false when another holder has it.
import { createHash } from 'node:crypto';
import type { PrismaClient } from './generated/client';

const lockKey = (name: string) => createHash('sha256').update(name).digest().readBigInt64BE(0);

export async function withAdvisoryLock(
  prisma: PrismaClient,
  name: string,
  fn: () => Promise<void>,
  timeoutMs = 120_000,
): Promise<boolean> {
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(${lockKey(name)}) AS locked`;
      if (!rows[0]?.locked) return false;
      await fn();
      return true;
    },
    { timeout: timeoutMs, maxWait: 5_000 },
  );
}
