// /api/v1/ai — the assistant's models: GET /api/v1/ai/models lists what every provider the caller
// can use offers now, the admin's and their own ({ models, setup?, unreachable?, detected? }).
// Signed-in users only; keys never leave the server.
import type { ModelProtocols, ModelRegistry } from '../assistant';
import type { AiModelListDto } from '../contracts';
import { reply, type Router } from './router';

export function addAiRoutes(
  router: Router,
  models: ModelRegistry,
  protocols: Pick<ModelProtocols, 'takesTools'>,
): void {
  router.add('GET', '/api/v1/ai/models', async (ctx) => {
    const { userId } = await ctx.user();
    const answer: AiModelListDto = await models.listModels(undefined, userId);
    // A model given the text protocol (AI_TEXT_PROTOCOL_MODELS, or it refused tools) is listed so.
    return reply(200, {
      ...answer,
      models: answer.models.map((model) => ({ ...model, tools: model.tools && protocols.takesTools(model.id) })),
    });
  });
}
