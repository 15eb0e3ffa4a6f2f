// Tool results are text for the model. A failure is a result too, never thrown out of the turn:
// it starts with "Error:" and says what to do next, so the model can retry or change course.
import { DomainError } from '../../core/errors';
import { UserEditingError } from './turn-file-locks';

export const TOOL_ERROR_PREFIX = 'Error: ';

/** True for a tool result that reports a failure (the turn engine stores it with isError). */
export function isToolError(output: unknown): boolean {
  return typeof output === 'string' && output.startsWith(TOOL_ERROR_PREFIX);
}

export const toolError = (message: string) => `${TOOL_ERROR_PREFIX}${message}`;

/** Runs a tool body; whatever it throws comes back as an error result the model can act on. */
export async function asToolResult(body: () => Promise<string>): Promise<string> {
  try {
    return await body();
  } catch (error) {
    return toolError(describe(error));
  }
}

function describe(error: unknown): string {
  if (error instanceof UserEditingError)
    return (
      `The user is editing ${error.path} (locked by ${error.holder}), so it was not changed. ` +
      'Do not write it again in this turn: work on other files, or tell the user what you wanted to change there.'
    );
  if (error instanceof DomainError) {
    switch (error.kind) {
      case 'precondition_failed':
        return `${error.message}. The file changed while you were working on it: read it again, then retry.`;
      case 'not_found':
        return `${error.message}. Check the path with list_files.`;
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
