// The assistant's conversations inside a project bundle: one entry, `berth-conversations.json`
// ({ format: 'berth-conversations', version: 1, conversations: PortableConversation[] }), next to
// `berth-bundle.json`. It is its own entry so a bundle without it (made before conversations
// existed) still imports, and a Berth that does not know it ignores it. Checked whole before the
// import creates anything.
import { z } from 'zod';
import { portableConversationSchema, type PortableConversation } from '../contracts';
import { DomainError } from '../core/errors';
import type { ZipReadResult } from './zip';

export const CONVERSATIONS_ENTRY = 'berth-conversations.json';
const CONVERSATIONS_FORMAT = 'berth-conversations';

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

const conversationsPartSchema = z.object({
  format: z.literal(CONVERSATIONS_FORMAT),
  version: z.literal(1),
  conversations: z
    .array(portableConversationSchema)
    .max(MAX_CONVERSATIONS, `A bundle holds at most ${MAX_CONVERSATIONS} conversations`)
    .refine(
      (list) => list.reduce((sum, conversation) => sum + conversation.messages.length, 0) <= MAX_MESSAGES_IN_ALL,
      `A bundle's conversations hold at most ${MAX_MESSAGES_IN_ALL} messages in all`,
    ),
});

/** The entry's bytes for these conversations. */
export function conversationsEntry(conversations: PortableConversation[]): Buffer {
  return Buffer.from(JSON.stringify({ format: CONVERSATIONS_FORMAT, version: 1, conversations }));
}

/** The bundle's conversations, checked; none when the bundle has no such entry. Throws 400 bad_bundle. */
export async function readBundleConversations(zip: ZipReadResult): Promise<PortableConversation[]> {
  const entry = zip.files.find((file) => file.path === CONVERSATIONS_ENTRY);
  if (!entry) return [];
  const chunks: Buffer[] = [];
  for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw badConversations('is not JSON');
  }
  const parsed = conversationsPartSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw badConversations(`is not valid${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return parsed.data.conversations;
}

const badConversations = (problem: string) =>
  new DomainError('bad_request', 'bad_bundle', `${CONVERSATIONS_ENTRY} ${problem}`);
