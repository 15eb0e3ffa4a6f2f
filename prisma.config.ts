// Prisma 7 CLI configuration. `prisma generate` needs no database; DATABASE_URL is only
// read for commands that talk to one (e.g. `prisma migrate deploy` where the schema
// engine is installed). Migrations are normally applied by server/db/migrate.ts.
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
