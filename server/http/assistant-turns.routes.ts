// Assistant turns: POST /api/v1/projects/:id/conversations/:cid/messages { content, model? }
// answers text/event-stream, one `data: <AssistantTurnEventDto>` per event until `done` (409 busy
// while a turn runs in the project, as JSON before any event); POST …/:cid/stop stops the running
// turn and answers once it has ended. Owner only: 404 for anyone else. A client that goes away
// does not stop the turn: the project's other tabs follow it over Socket.IO. POST …/turns/:tid/undo
// and …/turns/:tid/rewind { force? } put back the files of a turn (rewind: and of every later turn,
// deleting their messages); 409 already_undone, busy or snapshot_gone.
import type { TurnEngine, TurnUndo } from '../assistant';
import { sendMessageSchema, undoTurnSchema, type AssistantTurnEventDto } from '../contracts';
import { reply, type Router } from './router';

/** How often a quiet event stream gets a comment line. */
export const HEARTBEAT_MS = 15_000;

export function addAssistantTurnRoutes(router: Router, turns: TurnEngine, undo: TurnUndo): void {
  router
    .add('POST', '/api/v1/projects/:id/conversations/:cid/messages', async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(sendMessageSchema);
      const { res } = ctx;
      const send = (event: AssistantTurnEventDto) => {
        if (res.destroyed || res.writableEnded) return;
        if (!res.headersSent)
          res.writeHead(200, {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-store',
            'X-Accel-Buffering': 'no', // a proxy in front must pass each event on at once
          });
        res.write(`data: ${JSON.stringify(event)}\n\n`);
      };
      const { finished } = await turns.start(userId, ctx.params.id!, ctx.params.cid!, input, send);
      // A comment line now and then while a tool runs long, so proxies do not drop a quiet stream.
      const heartbeat = setInterval(() => {
        if (!res.destroyed && !res.writableEnded) res.write(': keep-alive\n\n');
      }, HEARTBEAT_MS);
      try {
        await finished;
      } finally {
        clearInterval(heartbeat);
      }
      if (!res.writableEnded) res.end();
      return reply(200);
    })
    .add('POST', '/api/v1/projects/:id/conversations/:cid/stop', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await turns.stop(userId, ctx.params.id!, ctx.params.cid!));
    })
    // Undo: the turn's files back as they were before it (conflicts reported, `force` overwrites them).
    .add('POST', '/api/v1/projects/:id/conversations/:cid/turns/:tid/undo', async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(undoTurnSchema); // an empty body is {}
      return reply(200, await undo.undo(userId, ctx.params.id!, ctx.params.cid!, ctx.params.tid!, input));
    })
    // Rewind (Retry, Edit): that turn and every later one undone, their messages deleted.
    .add('POST', '/api/v1/projects/:id/conversations/:cid/turns/:tid/rewind', async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(undoTurnSchema); // an empty body is {}
      return reply(200, await undo.rewind(userId, ctx.params.id!, ctx.params.cid!, ctx.params.tid!, input));
    });
}
