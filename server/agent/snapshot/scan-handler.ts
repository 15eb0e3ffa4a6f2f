// The snapshot.scan RPC (AgentMethods): params checked with the contract's zod schema.
import { snapshotScanParamsSchema } from '../../contracts/agent';
import { toFsError } from '../fs/errors';
import type { RpcHandler } from '../rpc-handlers';
import type { SnapshotScanner } from './scanner';

export class BadParamsError extends Error {
  readonly code = 'bad_params';
}

export function createSnapshotHandlers(scanner: SnapshotScanner): Record<string, RpcHandler> {
  return {
    'snapshot.scan': async (params) => {
      const parsed = snapshotScanParamsSchema.safeParse(params);
      if (!parsed.success)
        throw new BadParamsError(
          `Bad snapshot.scan params: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
        );
      try {
        return await scanner.scan(parsed.data);
      } catch (error) {
        // Errno messages name container paths; the contract's codes do not.
        throw toFsError(error);
      }
    },
  };
}
