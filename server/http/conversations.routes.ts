// /api/v1/projects/:id/conversations — the assistant's chats of a project: list, create, read
// with messages (tool calls and results included), rename, delete, and GET …/:cid/export (the
// conversation alone as a JSON download, { format: 'berth-conversation', version: 1, … }) and
// POST …/import (such a download back in as a new conversation: 201 { id }, 400 with field errors
// for a malformed one, 413 past IMPORT_MAX_MB), POST …/:cid/duplicate { targetProjectId? } (a copy in
// the same or another of the user's projects: 201 with the new conversation; 404 unless both are
// the user's). Owner only: 404 for anyone else.
import type { ConversationService } from '../assistant';
import {
  conversationExportSchema,
  createConversationSchema,
  duplicateConversationSchema,
  renameConversationSchema,
  type ConversationListDto,
} from '../contracts';
import { readFormOrJson } from '../core/read-body';
import { parseWith, reply, type Router } from './router';

export function addConversationRoutes(
  router: Router,
  conversations: ConversationService,
  options: {
    importMaxBytes: number;
    /** Records a finished conversation-only download in the project's export history. */
    recordExport?: (userId: string, projectId: string, bytes: number) => Promise<void>;
  },
): void {
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
    .add('POST', '/api/v1/projects/:id/conversations/import', async (ctx) => {
      const { userId } = await ctx.user();
      // The owner is checked before the body is read: another user's project is 404 whatever is sent.
      await conversations.assertProject(userId, ctx.params.id!);
      // A long conversation is bigger than the 1 MB other bodies get: the import limit applies, as for bundles.
      const document = parseWith(conversationExportSchema, await readFormOrJson(ctx.req, options.importMaxBytes));
      const id = await conversations.importOne(userId, ctx.params.id!, document);
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
      await options.recordExport?.(userId, ctx.params.id!, Buffer.byteLength(JSON.stringify(document)));
      return reply(200, document);
    })
    .add('POST', '/api/v1/projects/:id/conversations/:cid/duplicate', async (ctx) => {
      const { userId } = await ctx.user();
      const { targetProjectId } = await ctx.body(duplicateConversationSchema);
      return reply(201, await conversations.duplicate(userId, ctx.params.id!, ctx.params.cid!, targetProjectId));
    })
    .add('DELETE', '/api/v1/projects/:id/conversations/:cid', async (ctx) => {
      const { userId } = await ctx.user();
      await conversations.delete(userId, ctx.params.id!, ctx.params.cid!);
      return reply(204);
    });
}
