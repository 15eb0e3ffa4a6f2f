// `npm run dev` pre-flight: dependencies in place (the Prisma client is generated on install).
import { copyMonaco } from './copy-monaco.mjs';
import { ensureDependencies } from './lib.mjs';

await ensureDependencies();
copyMonaco();
