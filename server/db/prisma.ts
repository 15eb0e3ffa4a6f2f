// Builds the generated Prisma 7 client on a `pg` pool through the driver adapter:
// no Rust query engine at run time.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client'

export interface PrismaClientOptions {
  /** Pool size; modest by default (PostgreSQL's own limit is 100 connections). */
  maxConnections?: number
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A database that hangs (rather than refusing) fails a query after a minute instead of
    // holding a request or a snapshot forever; Berth's longest statements take seconds.
    query_timeout: 60_000,
  })
  return new PrismaClient({ adapter })
}

export type { PrismaClient }
