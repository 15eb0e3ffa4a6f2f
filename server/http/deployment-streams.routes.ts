// Deployments' live logs as Server-Sent Events and the private hand-off (issue 14), owner only:
// GET …/deployments/:did/logs (the build log, live until the deployment's final state),
// GET …/environments/:env/logs?tail=200 (the serving app's output until the client goes, or
// `event: end` when the container stops; 404 not_running when nothing runs; 429
// too_many_log_streams past RUNTIME_LOG_STREAMS_PER_USER open ones), GET …/environments/:env/open (302 to the URL, or to a private
// deployment's sign-in hand-off on its own host).
import { runtimeLogsQuerySchema } from '../contracts';
import { DomainError } from '../core/errors';
import type { DeployService } from '../deploy';
import { openEventStream } from './event-stream';
import { reply, type Reply, type RequestContext } from './router';

const ENV = '/api/v1/projects/:id/environments/:env';

export function addDeploymentStreamRoutes(
  add: (method: string, path: string, handler: (ctx: RequestContext) => Promise<Reply>) => void,
  deploys: DeployService,
): void {
  add('GET', `${ENV}/deployments/:did/logs`, async (ctx) => {
    const { userId } = await ctx.user();
    const { id, env, did } = ctx.params;
    let stream: ReturnType<typeof openEventStream> | undefined;
    // Headers go out with the first event: a 404 before it is still JSON.
    const controller = new AbortController();
    await deploys.watchBuild(
      userId,
      id!,
      env!,
      did!,
      ({ event, data }) => {
        stream ??= openStreamAbortingOn(ctx, controller);
        stream.send(event, data);
      },
      controller.signal,
    );
    stream?.end();
    return reply(200);
  });
  add('GET', `${ENV}/logs`, async (ctx) => {
    const { userId } = await ctx.user();
    const parsed = runtimeLogsQuerySchema.safeParse(Object.fromEntries(ctx.url.searchParams));
    if (!parsed.success) throw new DomainError('bad_request', 'bad_query', 'tail: a whole number from 0 to 5000');
    const deploymentId = await deploys.runtimeLogs.source(userId, ctx.params.id!, ctx.params.env!);
    const release = deploys.runtimeLogs.admit(userId);
    try {
      const stream = openEventStream(ctx.res);
      await deploys.runtimeLogs.follow(
        deploymentId,
        parsed.data.tail,
        (text) => stream.send('log', { text }),
        stream.signal,
      );
      // The container stopped (the client neither left nor fell behind): nothing more will come,
      // and `end` tells EventSource not to reconnect.
      if (!stream.signal.aborted) stream.send('end', { reason: 'stopped' });
      stream.end();
    } finally {
      release();
    }
    return reply(200);
  });
  add('GET', `${ENV}/open`, async (ctx) => {
    // A private deployment's hand-off is bound to the caller's Berth session (none for a bearer token).
    const principal = await ctx.user();
    const caller = principal.via === 'session' ? principal : { userId: principal.userId };
    const location = await deploys.openUrl(caller, ctx.params.id!, ctx.params.env!);
    ctx.res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' }).end();
    return reply(302);
  });
}

function openStreamAbortingOn(ctx: RequestContext, controller: AbortController) {
  const stream = openEventStream(ctx.res);
  stream.signal.addEventListener('abort', () => controller.abort(), { once: true });
  return stream;
}
