// The assistant's changing file tools: write_file, edit_file and delete_file, through FileService
// as the turn's lock holder. Each takes the file's lock first (someone else's lock → "the user is
// editing", nothing changed), then reads the file as it is, writes based on that version, and
// records the change in the turn's log. They run one at a time within a turn.
import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { DomainError } from '../../core/errors';
import { EDITABLE_MAX_BYTES, normalizePath } from '../../files';
import type { FileChangeLog, FileState } from './file-change-log';
import { filePathSchema, type FileToolContext } from './file-tool-context';
import { countLines, diffLineCounts } from './line-diff';
import { asToolResult, toolError } from './tool-output';
import { asUserEditing, type TurnFileLocks } from './turn-file-locks';

export interface WriteToolContext extends FileToolContext {
  locks: TurnFileLocks;
  changeLog: FileChangeLog;
}

type Stored = FileState & { version?: string };

// Made once: the SDK turns a schema into JSON Schema for every model call, and caches it on this object.
const writeFileInput = zodSchema(
  z.object({
    path: filePathSchema,
    content: z.string().max(EDITABLE_MAX_BYTES).describe('The complete new text of the file'),
  }),
);

const editFileInput = zodSchema(
  z.object({
    path: filePathSchema,
    old: z.string().min(1).describe('The exact text to replace; it must occur exactly once'),
    new: z.string().describe('The text to put in its place'),
  }),
);

const deleteFileInput = zodSchema(z.object({ path: filePathSchema }));

export function writeTools(context: WriteToolContext) {
  let queue: Promise<unknown> = Promise.resolve();
  /** One change at a time: two calls on the same file in one step must not race each other. */
  const serial = (body: () => Promise<string>): Promise<string> => {
    const run = queue.then(() => asToolResult(body));
    queue = run;
    return run;
  };

  /**
   * Runs `change` on `path` under the turn's lock, with the file's current state; refused once the
   * turn is stopped. A lock taken for a change that did not happen is given back at once.
   */
  const locked = (rawPath: string, change: (path: string, stored: Stored) => Promise<string>) =>
    serial(async () => {
      if (context.signal.aborted) throw new Error('The turn was stopped; nothing was changed');
      const path = normalizePath(rawPath);
      context.locks.acquire(path);
      try {
        return await change(path, await currentState(context, path));
      } finally {
        context.locks.releaseUnchanged(path);
      }
    });

  const save = async (path: string, before: Stored, text: string) => {
    try {
      await context.files.write(context.actor, context.projectId, path, Buffer.from(text, 'utf8'), {
        ...(before.exists ? { ifMatch: before.version } : { ifNoneMatch: true }),
      });
    } catch (error) {
      throw asUserEditing(error, path);
    }
    context.locks.markChanged(path);
    return context.changeLog.record(path, before, { exists: true, text });
  };

  const write_file = tool({
    description:
      'Create a file, or replace all of an existing file, with the given text. Missing parent folders are ' +
      'created. To change part of an existing file prefer edit_file.',
    inputSchema: writeFileInput,
    execute: ({ path: rawPath, content }) =>
      locked(rawPath, async (path, stored) => {
        await save(path, stored, content);
        const lines = countLines(content);
        const counted = `${lines} line${lines === 1 ? '' : 's'}`;
        return stored.exists
          ? `Wrote ${path} (${counted}, replacing the previous content).`
          : `Created ${path} (${counted}).`;
      }),
  });

  const edit_file = tool({
    description:
      'Replace one exact piece of text in a file: `old` must occur exactly once in the file (copy it from ' +
      'read_file, same whitespace and indentation, with enough surrounding lines to be unique); it is replaced ' +
      'by `new`. If `old` is not found or occurs more than once nothing changes and you are told why.',
    inputSchema: editFileInput,
    execute: ({ path: rawPath, old, new: replacement }) =>
      locked(rawPath, async (path, stored) => {
        if (!stored.exists) return toolError(`${path} does not exist. Create it with write_file.`);
        if (stored.text === null) return toolError(`${path} is not a text file (or is too large to edit).`);
        const edit = replaceOnce(stored.text, old, replacement);
        if (typeof edit === 'string') return toolError(`${edit} in ${path}; nothing was changed. ${retryHint(edit)}`);
        await save(path, stored, edit.text);
        const { added, removed } = diffLineCounts(stored.text, edit.text);
        return `Edited ${path} at line ${edit.line} (+${added} −${removed} lines).`;
      }),
  });

  const delete_file = tool({
    description: 'Delete a file of the project (not a folder).',
    inputSchema: deleteFileInput,
    execute: ({ path: rawPath }) =>
      locked(rawPath, async (path, stored) => {
        if (!stored.exists) return toolError(`${path} does not exist; nothing to delete.`);
        try {
          await context.files.delete(context.actor, context.projectId, path);
        } catch (error) {
          throw asUserEditing(error, path);
        }
        context.locks.markChanged(path);
        context.changeLog.record(path, stored, { exists: false });
        return `Deleted ${path}.`;
      }),
  });

  return {
    tools: { write_file, edit_file, delete_file },
    /** Settles when no change is running or queued (a stopped turn's last write may still be landing). */
    idle: (): Promise<void> => queue.then(() => undefined),
  };
}

/** The file as it is now: absent, or present with its version and its text (null when not text). */
async function currentState(context: FileToolContext, path: string): Promise<Stored> {
  try {
    const file = await context.files.read(context.actor, context.projectId, path);
    return { exists: true, text: file.content, version: file.version };
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return { exists: false };
    if (error instanceof DomainError && error.code === 'not_a_file')
      throw new DomainError('bad_request', 'not_a_file', `${path} is a folder, not a file`);
    throw error;
  }
}

type Replaced = { text: string; line: number };
const NOT_FOUND = 'The `old` text was not found';

/**
 * `old` replaced by `replacement` when it occurs exactly once, else why not. A file with CRLF line
 * ends also matches an `old` written with LF (the model rarely reproduces \r), and keeps its CRLF.
 */
export function replaceOnce(text: string, old: string, replacement: string): Replaced | string {
  const crlf = text.includes('\r\n') && !old.includes('\r\n');
  const [needle, inserted] = crlf
    ? [old.replace(/\n/g, '\r\n'), replacement.replace(/\r?\n/g, '\r\n')]
    : [old, replacement];
  const first = text.indexOf(needle);
  if (first === -1) return NOT_FOUND;
  const lines = [lineAt(text, first)];
  for (let at = text.indexOf(needle, first + needle.length); at !== -1; at = text.indexOf(needle, at + needle.length))
    lines.push(lineAt(text, at));
  if (lines.length > 1)
    return `The \`old\` text occurs ${lines.length} times (at lines ${lines.slice(0, 10).join(', ')})`;
  return { text: text.slice(0, first) + inserted + text.slice(first + needle.length), line: lines[0]! };
}

function retryHint(reason: string): string {
  return reason === NOT_FOUND
    ? 'Read the file again with read_file and copy the exact text, including whitespace and indentation.'
    : 'Include more of the surrounding lines in `old` so that it matches only one place.';
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
