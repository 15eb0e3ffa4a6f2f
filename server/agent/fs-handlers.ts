// RPC handlers for the fs.* methods (AgentMethods). Errors leave as FsError, whose `code` is
// one of AGENT_FILE_ERROR_STATUS's keys; connection.ts sends {code, message}.
import { FsError, toFsError } from './fs/errors';
import { deletePath } from './fs/delete';
import { listDir } from './fs/list';
import { makeDir } from './fs/mkdir';
import { movePath } from './fs/move';
import type { PathGuard } from './fs/path-guard';
import { statPath } from './fs/stat';
import type { RpcHandler } from './rpc-handlers';

export interface FsHandlerDeps {
  guard: PathGuard;
  /** Also watch a heavy folder the tree opened. */
  watch(path: string): Promise<void>;
}

const param = (params: unknown, name: string): unknown =>
  params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;

function mapped(handler: RpcHandler): RpcHandler {
  return async (params) => {
    try {
      return await handler(params);
    } catch (error) {
      throw toFsError(error, typeof param(params, 'path') === 'string' ? (param(params, 'path') as string) : '');
    }
  };
}

export function createFsHandlers({ guard, watch }: FsHandlerDeps): Record<string, RpcHandler> {
  return {
    'fs.list': mapped((params) => listDir(guard, param(params, 'path'))),
    'fs.stat': mapped((params) => statPath(guard, param(params, 'path'))),
    'fs.mkdir': mapped((params) => makeDir(guard, param(params, 'path'))),
    'fs.move': mapped((params) => movePath(guard, param(params, 'from'), param(params, 'to'))),
    'fs.delete': mapped((params) => deletePath(guard, param(params, 'path'))),
    'fs.watch': mapped(async (params) => {
      const entry = await statPath(guard, param(params, 'path'));
      if (entry.kind !== 'dir') throw new FsError('not_a_dir', `Not a folder: ${entry.path}`);
      await watch(entry.path);
      return null;
    }),
  };
}
