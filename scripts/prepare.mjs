// `npm run dev` pre-flight: dependencies in place (the Prisma client is generated on install).
import { ensureDependencies } from './lib.mjs';

await ensureDependencies();
