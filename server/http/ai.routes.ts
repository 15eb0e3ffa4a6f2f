// /api/v1/ai — the assistant's models: GET /api/v1/ai/models lists what every provider the caller
// can use offers now, the admin's and their own ({ models, setup?, unreachable?, detected? }).
// Signed-in users only; keys never leave the server.
import type { ModelRegistry } from '../assistant';
import type { AiModelListDto } from '../contracts';
import { reply, type Router } from './router';

export function addAiRoutes(router: Router, models: ModelRegistry): void {
  router.add('GET', '/api/v1/ai/models', async (ctx) => {
    const { userId } = await ctx.user();
    const answer: AiModelListDto = await models.listModels(undefined, userId);
    return reply(200, answer);
  });
}
