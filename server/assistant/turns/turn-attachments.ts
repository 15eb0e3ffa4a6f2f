// What the user attached to a message ("Ask about selection", the open file) as text the model
// reads with the request: a selection as sent, a whole file as it is now (read through
// FileService, so only the user's own project, cut at a cap). A file that cannot be read is
// said so, and the turn goes on.
import type { MessageAttachment } from '../../contracts';

/** A whole attached file is shown up to this many characters. */
export const ATTACHED_FILE_MAX_CHARS = 50_000;

/** Reads a file's text as the editor does (FileService.read). */
export type AttachmentFileReader = (path: string) => Promise<{ content: string | null; binary: boolean; size: number }>;

export async function describeAttachments(
  attachments: readonly MessageAttachment[],
  readFile: AttachmentFileReader,
  { header = 'The user attached:', maxChars = ATTACHED_FILE_MAX_CHARS } = {},
): Promise<string> {
  if (!attachments.length) return '';
  const parts = await Promise.all(attachments.map((attachment) => describeOne(attachment, readFile, maxChars)));
  return [header, ...parts].join('\n\n');
}

async function describeOne(
  attachment: MessageAttachment,
  readFile: AttachmentFileReader,
  maxChars: number,
): Promise<string> {
  const { path, selection } = attachment;
  if (selection)
    return `${path}, lines ${selection.startLine}-${selection.endLine} (their selection):\n${fenced(selection.text)}`;
  try {
    const file = await readFile(path);
    if (file.binary) return `${path}: a binary file (not shown).`;
    if (file.content === null)
      return `${path}: too large to show (${file.size} bytes); use read_file with line ranges.`;
    const cut = file.content.length > maxChars;
    const text = cut ? file.content.slice(0, maxChars) : file.content;
    const note = cut ? ` (its first ${maxChars} characters; read_file shows the rest)` : '';
    return `${path} (the whole file as it is now${note}):\n${fenced(text)}`;
  } catch (error) {
    return `${path}: could not be read (${error instanceof Error ? error.message : String(error)}).`;
  }
}

/** The text in a code fence longer than any backtick run inside it. */
export function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

/** How a past message's attachments are replayed: the selections' text, the files' names. */
export function attachmentsReplay(attachments: readonly MessageAttachment[]): string {
  if (!attachments.length) return '';
  return attachments
    .map(({ path, selection }) =>
      selection
        ? `[Attached ${path}, lines ${selection.startLine}-${selection.endLine}:]\n${fenced(selection.text)}`
        : `[Attached ${path}]`,
    )
    .join('\n');
}
