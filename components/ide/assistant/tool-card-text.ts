// The one-line title of a tool card, as a person reads it: "Edited src/App.jsx (+12 −3)",
// "Ran npm install zustand · exit 0", "Started dev server on 5173". Built from the call's input
// and the tool's result sentence (see server/assistant/tools); pure, so it is unit-tested.
import type { ToolItem } from './chat-state';

export interface CardTitle {
  verb: string;
  /** Shown as code: a path, a command, a search. */
  subject?: string;
  /** After the subject: counts, an exit code, a port. */
  suffix?: string;
}

const ERROR_PREFIX = 'Error: ';

const field = (input: unknown, name: string): string | undefined => {
  if (!input || typeof input !== 'object') return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
};

const text = (output: unknown): string => (typeof output === 'string' ? output : '');

/** The error a failed call reported, without the "Error: " the model reads. */
export function cardError(card: ToolItem): string | null {
  if (card.status !== 'error') return null;
  const message = text(card.output);
  if (!message) return 'The turn ended before this call finished.';
  return message.startsWith(ERROR_PREFIX) ? message.slice(ERROR_PREFIX.length) : message;
}

/** The port a start_dev_server call reported listening, if any. */
export function startedPort(card: ToolItem): number | null {
  if (card.toolName !== 'start_dev_server' || card.status !== 'done') return null;
  const match = /listening on port (\d+)/.exec(text(card.output));
  return match ? Number(match[1]) : null;
}

export function cardTitle(card: ToolItem): CardTitle {
  const { input, status } = card;
  const path = field(input, 'path');
  const done = status === 'done';
  const result = text(card.output);
  switch (card.toolName) {
    case 'write_file': {
      const lines = /\((\d+) lines?/.exec(result)?.[1];
      const suffix = lines ? `${lines} line${lines === '1' ? '' : 's'}` : undefined;
      if (!done) return { verb: status === 'running' ? 'Writing' : 'Could not write', subject: path };
      return { verb: result.startsWith('Created') ? 'Created' : 'Rewrote', subject: path, suffix };
    }
    case 'edit_file': {
      if (!done) return { verb: status === 'running' ? 'Editing' : 'Could not edit', subject: path };
      const counts = /\(\+(\d+) −(\d+)/.exec(result);
      return { verb: 'Edited', subject: path, suffix: counts ? `+${counts[1]} −${counts[2]}` : undefined };
    }
    case 'delete_file':
      return { verb: done ? 'Deleted' : status === 'running' ? 'Deleting' : 'Could not delete', subject: path };
    case 'read_file':
      return { verb: done ? 'Read' : status === 'running' ? 'Reading' : 'Could not read', subject: path };
    case 'list_files':
      return {
        verb: done ? 'Listed files' : status === 'running' ? 'Listing files' : 'Could not list files',
        subject: path,
      };
    case 'search':
      return {
        verb: done ? 'Searched for' : status === 'running' ? 'Searching for' : 'Could not search for',
        subject: field(input, 'query') ?? field(input, 'pattern'),
      };
    case 'run_command': {
      const command = field(input, 'command');
      if (status === 'running') return { verb: 'Running', subject: command };
      const exit = /^Exit code (\d+)/.exec(result)?.[1];
      return { verb: done ? 'Ran' : 'Command failed', subject: command, suffix: exit ? `exit ${exit}` : undefined };
    }
    case 'start_dev_server': {
      if (status === 'running') return { verb: 'Starting the dev server' };
      const port = startedPort(card);
      return port ? { verb: 'Started dev server on', subject: String(port) } : { verb: 'The dev server did not start' };
    }
    case 'get_preview':
      return {
        verb: done
          ? 'Checked the preview'
          : status === 'running'
            ? 'Checking the preview'
            : 'Could not check the preview',
      };
    default:
      return { verb: status === 'error' ? 'Could not call' : 'Called', subject: card.toolName };
  }
}

/** The lines a card's diff shows: edit_file's old → new, write_file's new text. Null for other tools. */
export function cardDiff(card: ToolItem): { removed: string[]; added: string[] } | null {
  const lines = (value: string | undefined) => (value ? value.replace(/\n$/, '').split('\n') : []);
  switch (card.toolName) {
    case 'edit_file':
      return { removed: lines(field(card.input, 'old')), added: lines(field(card.input, 'new')) };
    case 'write_file':
      return { removed: [], added: lines(field(card.input, 'content')) };
    default:
      return null;
  }
}
