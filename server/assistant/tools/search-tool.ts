// The assistant's `search`: plain text or a regular expression across the project's text files,
// answered as `path:line: text`. The agent has no search operation, so this walks and reads the
// files through FileService (caps on files, sizes and results keep it quick); heavy folders
// (node_modules, .git, dist…) are skipped like the file tree skips them. A regular expression is
// matched in a worker thread with a time budget (regex-line-worker.ts): a pattern that backtracks
// catastrophically answers an error instead of freezing Berth.
import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import type { FileEntry } from '../../contracts';
import { DomainError } from '../../core/errors';
import { normalizePath } from '../../files';
import { folderPathSchema, type FileToolContext } from './file-tool-context';
import { walkProject } from './project-walk';
import { RegexLineWorker, RegexTimeoutError } from './regex-line-worker';
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
/** Matching time one regular expression search may take in all. */
export const SEARCH_REGEX_BUDGET_MS = 3000;

// Made once: the SDK turns a schema into JSON Schema for every model call, and caches it on this object.
const searchInput = zodSchema(
  z.object({
    query: z.string().min(1).max(500).describe('The text (or regular expression) to find on one line'),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    path: folderPathSchema,
    maxResults: z.number().int().min(1).max(SEARCH_MAX_RESULTS).default(SEARCH_DEFAULT_RESULTS),
  }),
);

export function searchTool(context: FileToolContext) {
  return tool({
    description:
      'Search the text files of the project (or of one folder) for a plain string, or a JavaScript regular ' +
      'expression when regex is true. Answers one match per line as "path:line: text". Skips binary files, files ' +
      `over 1 MB and dependency/build folders (node_modules, .git, dist…). At most maxResults matches (default ${SEARCH_DEFAULT_RESULTS}).`,
    inputSchema: searchInput,
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
        try {
          for (let index = 0; index < searched.length && !more; index += PARALLEL_READS) {
            if (abortSignal?.aborted) throw new Error('The turn was stopped');
            const batch = searched.slice(index, index + PARALLEL_READS);
            const texts = await Promise.all(batch.map((entry) => readText(context, entry)));
            const found = await matcher.matchedLines(texts, abortSignal);
            batch.forEach((entry, at) => {
              for (const hit of shownMatches(entry.path, texts[at] ?? null, found[at] ?? [])) {
                if (matches.length >= input.maxResults) more = true;
                else matches.push(hit);
              }
            });
          }
        } catch (error) {
          if (!(error instanceof RegexTimeoutError)) throw error;
          return toolError(
            `${error.message} and was stopped (it backtracks too much, e.g. a repeated group like (a|aa)+ or (a+)+). ` +
              'Write it without nested or overlapping repetitions, or search for plain text.',
          );
        } finally {
          await matcher.close();
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

/** Finds the matching lines of a batch of texts (0-based line numbers per text). */
interface LineMatcher {
  matchedLines(texts: (string | null)[], signal?: AbortSignal): Promise<number[][]>;
  close(): Promise<void>;
}

/** A matcher for the query, or why the query cannot be used. */
function lineMatcher(query: string, regex: boolean, caseSensitive: boolean): LineMatcher | string {
  if (!regex) {
    // Plain text is matched in linear time, here.
    const needle = caseSensitive ? query : query.toLowerCase();
    const matches = caseSensitive
      ? (line: string) => line.includes(needle)
      : (line: string) => line.toLowerCase().includes(needle);
    return {
      matchedLines: async (texts) =>
        texts.map((text) =>
          text === null ? [] : linesOf(text).flatMap((line, index) => (matches(line) ? [index] : [])),
        ),
      close: async () => undefined,
    };
  }
  const flags = caseSensitive ? '' : 'i';
  try {
    new RegExp(query, flags); // compiling is quick; only matching can run away
  } catch (error) {
    return `Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new RegexLineWorker(query, flags, SEARCH_REGEX_BUDGET_MS, MATCHED_LINE_CHARS);
}

/** The text's lines as matched: no trailing CR, cut at MATCHED_LINE_CHARS (as the worker cuts them). */
const linesOf = (text: string) => text.split('\n').map((line) => line.replace(/\r$/, '').slice(0, MATCHED_LINE_CHARS));

function* shownMatches(path: string, text: string | null, lineNumbers: number[]): Generator<string> {
  if (text === null || lineNumbers.length === 0) return;
  const lines = text.split('\n');
  for (const index of lineNumbers) {
    const shown = (lines[index] ?? '').replace(/\r$/, '').trim();
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
