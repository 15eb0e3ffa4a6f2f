// /api/v1/me/ai-settings — the caller's own model providers (issue 11). GET answers them masked;
// PUT changes them (a field omitted stays, null clears it) and answers them masked; POST …/test
// lists the models the saved settings with the body's over them would give, saving nothing. Keys
// are never sent back. Cookie-authenticated changes pass the router's Origin check; bearer tokens work too.
import type { UserAiSettingsService } from '../assistant';
import { updateUserAiSettingsSchema } from '../contracts';
import { reply, type Router } from './router';

export function addAiSettingsRoutes(router: Router, settings: UserAiSettingsService): void {
  router
    .add('GET', '/api/v1/me/ai-settings', async (ctx) => reply(200, await settings.get((await ctx.user()).userId)))
    .add('PUT', '/api/v1/me/ai-settings', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await settings.update(userId, await ctx.body(updateUserAiSettingsSchema)));
    })
    .add('POST', '/api/v1/me/ai-settings/test', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await settings.test(userId, await ctx.body(updateUserAiSettingsSchema)));
    });
}
