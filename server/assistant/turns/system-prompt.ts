// The system prompt of a turn: who the assistant is, how it works on the project (through its
// tools only), and the project's file tree as it is now, capped so a big project does not fill
// the model's context.
import type { FileEntry } from '../../contracts';

/** Entries of the file tree attached to a turn at most. */
export const TREE_MAX_ENTRIES = 300;

export interface SystemPromptInput {
  projectName: string;
  toolNames: readonly string[];
  tree: { entries: readonly FileEntry[]; truncated: boolean } | undefined;
}

export function buildSystemPrompt({ projectName, toolNames, tree }: SystemPromptInput): string {
  return [
    `You are Berth's coding assistant, working in the project "${projectName}" on the user's behalf.`,
    'The project lives in a Linux container; every path is relative to the project root.',
    `You act only through your tools: ${toolNames.join(', ')}.`,
    'Read a file before you edit it; prefer edit_file (an exact, unique search and replace) to rewriting a whole file.',
    'A result starting with "Error:" means nothing was done: read it, then fix the call or tell the user.',
    'When a file is locked by the user, leave it alone and say so. Keep answers short and say what you changed.',
    '',
    'The project files now' +
      (tree?.truncated ? ` (the first ${tree.entries.length}; list_files shows more)` : '') +
      ':',
    tree ? formatTree(tree.entries) : '(the file tree could not be read; use list_files)',
  ].join('\n');
}

function formatTree(entries: readonly FileEntry[]): string {
  if (!entries.length) return '(empty)';
  return entries
    .map((entry) => (entry.kind === 'dir' ? `${entry.path}/${entry.heavy ? ' (not listed)' : ''}` : entry.path))
    .join('\n');
}
