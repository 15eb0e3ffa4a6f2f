// The assistant's conversations inside a project bundle: one entry per conversation,
// `conversations/0001.json`, `conversations/0002.json`, … (oldest first), each the same document
// as the conversation-only download ({ format: 'berth-conversation', version: 1, … }). One entry
// each keeps every entry under the ZIP reader's per-entry limit and lets them be read one at a
// time. A bundle without them (made before conversations existed) still imports, and a Berth that
// does not know them ignores them. All are checked before the import creates anything.
import {
  CONVERSATION_EXPORT_FORMAT,
  CONVERSATION_EXPORT_VERSION,
  conversationExportSchema,
  type ConversationExportDto,
  type PortableConversation,
} from '../contracts';
import { DomainError } from '../core/errors';
import type { ZipFileEntry, ZipReadResult } from './zip';

/** A project's conversations in and out, checked against its owner (the assistant's ConversationService). */
export interface TransferConversations {
  /** Every conversation of the project, oldest first. */
  exportAll(userId: string, projectId: string): Promise<PortableConversation[]>;
  /** Recreates them in the project with new ids, all or none. */
  importAll(userId: string, projectId: string, conversations: readonly PortableConversation[]): Promise<void>;
}

/** Bounds the database work one bundle can ask for; the upload's byte limit bounds the rest. */
const MAX_CONVERSATIONS = 1_000;
const MAX_MESSAGES_IN_ALL = 200_000;

const ENTRY = /^conversations\/(\d{1,6})\.json$/;
const entryName = (index: number) => `conversations/${String(index + 1).padStart(4, '0')}.json`;

/** The bundle entries for these conversations, in order. */
export function conversationEntries(
  conversations: readonly PortableConversation[],
  exportedAt = new Date().toISOString(),
): { path: string; open: () => Promise<Buffer> }[] {
  return conversations.map((conversation, index) => ({
    path: entryName(index),
    open: async () => {
      const document: ConversationExportDto = {
        format: CONVERSATION_EXPORT_FORMAT,
        version: CONVERSATION_EXPORT_VERSION,
        exportedAt,
        ...conversation,
      };
      return Buffer.from(JSON.stringify(document));
    },
  }));
}

/** The bundle's conversations in order, each checked; none when it has none. Throws 400 bad_bundle. */
export async function readBundleConversations(zip: ZipReadResult): Promise<PortableConversation[]> {
  const entries = zip.files
    .map((file) => ({ file, number: Number(ENTRY.exec(file.path)?.[1] ?? NaN) }))
    .filter((entry) => Number.isInteger(entry.number))
    .sort((a, b) => a.number - b.number);
  if (entries.length > MAX_CONVERSATIONS)
    throw badBundle(`The bundle holds ${entries.length} conversations; at most ${MAX_CONVERSATIONS} can be imported`);
  const conversations: PortableConversation[] = [];
  let messages = 0;
  for (const { file } of entries) {
    const { format: _format, version: _version, exportedAt: _exportedAt, ...conversation } = await readOne(file);
    messages += conversation.messages.length;
    if (messages > MAX_MESSAGES_IN_ALL)
      throw badBundle(`The bundle's conversations hold more than ${MAX_MESSAGES_IN_ALL} messages in all`);
    conversations.push(conversation);
  }
  return conversations;
}

async function readOne(file: ZipFileEntry): Promise<ConversationExportDto> {
  const chunks: Buffer[] = [];
  for await (const chunk of await file.open()) chunks.push(chunk as Buffer);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw badBundle(`${file.path} is not JSON`);
  }
  const parsed = conversationExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw badBundle(`${file.path} is not a valid conversation${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}

const badBundle = (message: string) => new DomainError('bad_request', 'bad_bundle', message);
