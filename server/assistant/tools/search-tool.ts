// The assistant's `search`: plain text or a regular expression across the project's text files,
// answered as `path:line: text`. The agent has no search operation, so this walks and reads the
// files through FileService (caps on files, sizes and results keep it quick); heavy folders
// (node_modules, .git, dist…) are skipped like the file tree skips them.
import { tool } from 'ai';
import { z } from 'zod';
import type { FileEntry } from '../../contracts';
import { DomainError } from '../../core/errors';
import { normalizePath } from '../../files';
import { folderPathSchema, type FileToolContext } from './file-tool-context';
import { walkProject } from './project-walk';
import { asToolResult, toolError } from './tool-output';

export const SEARCH_MAX_FILES = 3000;
export const SEARCH_MAX_FILE_BYTES = 1024 * 1024;
export const SEARCH_DEFAULT_RESULTS = 50;
export const SEARCH_MAX_RESULTS = 200;
/** Matched lines are shown up to this many characters. */
const SHOWN_LINE_CHARS = 200;
/** Lines are matched up to this many characters (bounds a regular expression's work per line). */
const MATCHED_LINE_CHARS = 2000;
const PARALLEL_READS = 8;

export function searchTool(context: FileToolContext) {
  return tool({
    description:
      'Search the text files of the project (or of one folder) for a plain string, or a JavaScript regular ' +
      'expression when regex is true. Answers one match per line as "path:line: text". Skips binary files, files ' +
      `over 1 MB and dependency/build folders (node_modules, .git, dist…). At most maxResults matches (default ${SEARCH_DEFAULT_RESULTS}).`,
    inputSchema: z.object({
      query: z.string().min(1).max(500).describe('The text (or regular expression) to find on one line'),
      regex: z.boolean().default(false),
      caseSensitive: z.boolean().default(false),
      path: folderPathSchema,
      maxResults: z.number().int().min(1).max(SEARCH_MAX_RESULTS).default(SEARCH_DEFAULT_RESULTS),
    }),
    execute: (input, { abortSignal }) =>
      asToolResult(async () => {
        const matcher = lineMatcher(input.query, input.regex, input.caseSensitive);
        if (typeof matcher === 'string') return toolError(matcher);
        const root = normalizePath(input.path);
        const walk = await walkProject((folder) => context.files.list(context.actor, context.projectId, folder), root, {
          recursive: true,
          maxEntries: SEARCH_MAX_FILES * 4,
          signal: abortSignal,
        });
        const candidates = walk.entries.filter((entry) => entry.kind === 'file');
        const searched = candidates.filter((entry) => entry.size <= SEARCH_MAX_FILE_BYTES).slice(0, SEARCH_MAX_FILES);
        const matches: string[] = [];
        let more = false;
        for (let index = 0; index < searched.length && !more; index += PARALLEL_READS) {
          if (abortSignal?.aborted) throw new Error('The turn was stopped');
          const batch = searched.slice(index, index + PARALLEL_READS);
          const texts = await Promise.all(batch.map((entry) => readText(context, entry)));
          batch.forEach((entry, at) => {
            for (const hit of matchesIn(entry.path, texts[at] ?? null, matcher)) {
              if (matches.length >= input.maxResults) more = true;
              else matches.push(hit);
            }
          });
        }
        const skipped = candidates.length - searched.length + (walk.truncated ? 1 : 0);
        const notes = [
          more ? `More matches not shown (limit ${input.maxResults}); narrow the query or the folder.` : '',
          skipped > 0 ? 'Some files were not searched (over 1 MB, or past the file limit).' : '',
        ].filter(Boolean);
        if (matches.length === 0) return [`No matches in ${searched.length} files.`, ...notes].join('\n');
        return [...matches, ...notes].join('\n');
      }),
  });
}

type Matcher = (line: string) => boolean;

/** A predicate for one line, or why the query cannot be used. */
function lineMatcher(query: string, regex: boolean, caseSensitive: boolean): Matcher | string {
  if (!regex) {
    const needle = caseSensitive ? query : query.toLowerCase();
    return caseSensitive ? (line) => line.includes(needle) : (line) => line.toLowerCase().includes(needle);
  }
  // A quantified group that is itself quantified can backtrack for minutes on one line; refused.
  if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(query))
    return 'That regular expression nests repetitions (like (a+)+); write it without a repeated group.';
  try {
    const pattern = new RegExp(query, caseSensitive ? '' : 'i');
    return (line) => pattern.test(line);
  } catch (error) {
    return `Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function* matchesIn(path: string, text: string | null, matches: Matcher): Generator<string> {
  if (text === null) return;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (!matches(line.slice(0, MATCHED_LINE_CHARS))) continue;
    const shown = line.trim();
    yield `${path}:${index + 1}: ${shown.length > SHOWN_LINE_CHARS ? `${shown.slice(0, SHOWN_LINE_CHARS)}…` : shown}`;
  }
}

/** The file's text, or null when it is binary, vanished since the listing, or cannot be read. */
async function readText(context: FileToolContext, entry: FileEntry): Promise<string | null> {
  try {
    return (await context.files.read(context.actor, context.projectId, entry.path)).content;
  } catch (error) {
    if (error instanceof DomainError && (error.kind === 'not_found' || error.kind === 'bad_request')) return null;
    throw error;
  }
}
