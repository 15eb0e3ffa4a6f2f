// The assistant's read-only file tools: list_files and read_file, through FileService.
import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { formatBytes, type FileEntry } from '../../contracts';
import { normalizePath } from '../../files';
import { filePathSchema, folderPathSchema, positiveLine, type FileToolContext } from './file-tool-context';
import { splitLines } from './line-diff';
import { walkProject } from './project-walk';
import { asToolResult, toolError } from './tool-output';

export const LIST_DEFAULT_ENTRIES = 200;
export const LIST_MAX_ENTRIES = 1000;
/** read_file answers at most this many lines (and characters) at once; ranges reach the rest. */
export const READ_MAX_LINES = 400;
export const READ_MAX_CHARS = 60_000;

// Made once: the SDK turns a schema into JSON Schema for every model call, and caches it on this object.
const listFilesInput = zodSchema(
  z.object({
    path: folderPathSchema,
    recursive: z.boolean().default(false).describe('Also list everything in sub-folders'),
    maxEntries: z.number().int().min(1).max(LIST_MAX_ENTRIES).default(LIST_DEFAULT_ENTRIES),
  }),
);

const readFileInput = zodSchema(
  z.object({
    path: filePathSchema,
    startLine: positiveLine.optional().describe('First line to read (1-based)'),
    endLine: positiveLine.optional().describe('Last line to read (inclusive)'),
  }),
);

export function listFilesTool(context: FileToolContext) {
  return tool({
    description:
      'List the files and folders in a project folder. Folders end with "/". Set recursive to list everything ' +
      'below it (dependency and build folders such as node_modules, .git and dist are shown but not entered). ' +
      `At most maxEntries entries (default ${LIST_DEFAULT_ENTRIES}).`,
    inputSchema: listFilesInput,
    execute: ({ path, recursive, maxEntries }, { abortSignal }) =>
      asToolResult(async () => {
        const root = normalizePath(path);
        const walk = await walkProject((folder) => context.files.list(context.actor, context.projectId, folder), root, {
          recursive,
          maxEntries,
          signal: abortSignal,
        });
        const where = root === '' ? 'the project root' : `${root}/`;
        if (walk.entries.length === 0) return `${where} is empty.`;
        const lines = walk.entries.map(describeEntry);
        if (walk.truncated)
          lines.push(`… more entries not shown (limit ${maxEntries}); list a sub-folder or raise maxEntries.`);
        return `Contents of ${where}:\n${lines.join('\n')}`;
      }),
  });
}

function describeEntry(entry: FileEntry): string {
  switch (entry.kind) {
    case 'dir':
      return entry.heavy ? `${entry.path}/ (not expanded)` : `${entry.path}/`;
    case 'file':
      return `${entry.path} (${formatBytes(entry.size)})`;
    case 'symlink':
      return `${entry.path} (symlink)`;
    case 'other':
      return `${entry.path} (special file)`;
  }
}

export function readFileTool(context: FileToolContext) {
  return tool({
    description:
      'Read a text file of the project. The answer starts with a header line giving the line range shown and ' +
      `the file's total lines, then the text exactly as stored. Long files come ${READ_MAX_LINES} lines at a ` +
      'time: pass startLine (and endLine, inclusive, 1-based) to read another part. Binary files are not shown.',
    inputSchema: readFileInput,
    execute: ({ path, startLine, endLine }) =>
      asToolResult(async () => {
        const file = await context.files.read(context.actor, context.projectId, path);
        if (file.binary)
          return toolError(`${file.path} is a binary file (${formatBytes(file.size)}); it cannot be read as text.`);
        if (file.content === null) return toolError(`${file.path} is too large to read (${formatBytes(file.size)}).`);
        return sliceLines(file.path, file.content, startLine ?? 1, endLine);
      }),
  });
}

/** The asked range, cut to READ_MAX_LINES / READ_MAX_CHARS, with a header saying what is shown. */
function sliceLines(path: string, content: string, start: number, end: number | undefined): string {
  const lines = splitLines(content);
  const total = lines.length;
  if (total === 0) return `${path} is empty (0 lines).`;
  if (start > total) return toolError(`${path} has ${total} lines; startLine ${start} is past its end.`);
  if (end !== undefined && end < start) return toolError(`endLine (${end}) is before startLine (${start}).`);
  let last = Math.min(end ?? total, total, start + READ_MAX_LINES - 1);
  let text = lines.slice(start - 1, last).join('\n');
  while (text.length > READ_MAX_CHARS && last > start) {
    last = start + Math.max(0, Math.floor((last - start) / 2));
    text = lines.slice(start - 1, last).join('\n');
  }
  if (text.length > READ_MAX_CHARS)
    text = `${text.slice(0, READ_MAX_CHARS)} … (line cut at ${READ_MAX_CHARS} characters)`;
  const more =
    last < total && (end === undefined || last < end) ? ` (more: call again with startLine ${last + 1})` : '';
  return `${path}: lines ${start}-${last} of ${total}${more}\n${text}`;
}
