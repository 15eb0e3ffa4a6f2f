// /api/v1/projects/:id/conversations — the assistant's chats of a project: list, create, read
// with messages (tool calls and results included), rename, delete, and GET …/:cid/export (the
// conversation alone as a JSON download, { format: 'berth-conversation', version: 1, … }).
// Owner only: 404 for anyone else.
import type { ConversationService } from '../assistant';
import { createConversationSchema, renameConversationSchema, type ConversationListDto } from '../contracts';
import { reply, type Router } from './router';

export function addConversationRoutes(router: Router, conversations: ConversationService): void {
  router
    .add('GET', '/api/v1/projects/:id/conversations', async (ctx) => {
      const { userId } = await ctx.user();
      const list: ConversationListDto = { conversations: await conversations.list(userId, ctx.params.id!) };
      return reply(200, list);
    })
    .add('POST', '/api/v1/projects/:id/conversations', async (ctx) => {
      const { userId } = await ctx.user();
      // An empty body reads as {}: a conversation with the default title.
      const { id } = await conversations.create(userId, ctx.params.id!, await ctx.body(createConversationSchema));
      return reply(201, { id });
    })
    .add('GET', '/api/v1/projects/:id/conversations/:cid', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await conversations.get(userId, ctx.params.id!, ctx.params.cid!));
    })
    .add('PATCH', '/api/v1/projects/:id/conversations/:cid', async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(renameConversationSchema);
      return reply(200, await conversations.rename(userId, ctx.params.id!, ctx.params.cid!, input));
    })
    .add('GET', '/api/v1/projects/:id/conversations/:cid/export', async (ctx) => {
      const { userId } = await ctx.user();
      const { fileName, document } = await conversations.exportOne(userId, ctx.params.id!, ctx.params.cid!);
      // The slug is [a-z0-9-] only, so it needs no quoting beyond the quotes.
      ctx.res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
      return reply(200, document);
    })
    .add('DELETE', '/api/v1/projects/:id/conversations/:cid', async (ctx) => {
      const { userId } = await ctx.user();
      await conversations.delete(userId, ctx.params.id!, ctx.params.cid!);
      return reply(204);
    });
}
