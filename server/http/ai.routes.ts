// /api/v1/ai — the assistant's models: GET /api/v1/ai/models lists what every configured provider
// offers now ({ models, setup?, unreachable? }). Signed-in users only; keys never leave the server.
import type { ModelRegistry } from '../assistant';
import type { AiModelListDto } from '../contracts';
import { reply, type Router } from './router';

export function addAiRoutes(router: Router, models: ModelRegistry): void {
  router.add('GET', '/api/v1/ai/models', async (ctx) => {
    await ctx.user();
    const answer: AiModelListDto = await models.listModels();
    return reply(200, answer);
  });
}
