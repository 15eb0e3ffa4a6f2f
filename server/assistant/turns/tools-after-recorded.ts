// A turn's model is asked before its snapshot is stored (turn-engine.ts): a tool the model calls
// waits for the snapshot and the turn's record, so nothing is written before the undo point exists
// (the snapshot reads file contents after its scan). A turn that could not be recorded runs no tool.
import type { ToolSet } from 'ai';

export function afterRecorded(tools: ToolSet, recorded: Promise<void>): ToolSet {
  return Object.fromEntries(
    Object.entries(tools).map(([name, tool]) => {
      const { execute } = tool;
      if (!execute) return [name, tool];
      return [
        name,
        {
          ...tool,
          execute: async (...args: Parameters<typeof execute>) => {
            await recorded;
            return execute(...args);
          },
        },
      ];
    }),
  ) as ToolSet;
}
