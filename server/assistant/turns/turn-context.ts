// What one model call of a turn is sent: the system prompt (project, tools or the text protocol,
// the file tree, a summary of the turns left out), the conversation trimmed to the context window,
// and the user's request preceded by the notes for this turn (their edits since the last turn,
// what they attached). The notes go to the model only: the stored user message stays as typed.
import type { ModelMessage } from 'ai';
import type { FileEntry, MessageDto, TurnFileChange } from '../../contracts';
import { estimateTokens, fitHistory } from './context-window';
import { toModelMessages } from './model-messages';
import { buildSystemPrompt } from './system-prompt';
import { TEXT_PROTOCOL_INSTRUCTIONS, toTextProtocolMessages } from './text-protocol-messages';

/** How the model acts: tool calls, or file and shell blocks in its text (models without tools). */
export type TurnProtocol = 'tools' | 'text';

/** Tokens the tool definitions take in a request (their names, descriptions and schemas), roughly. */
export const TOOL_DEFINITION_TOKENS = 2_500;

export interface TurnContextInput {
  protocol: TurnProtocol;
  projectName: string;
  toolNames: readonly string[];
  tree: { entries: readonly FileEntry[]; truncated: boolean } | undefined;
  /** The stored conversation before this turn. */
  history: readonly MessageDto[];
  turns?: readonly { id: string; changedFiles: readonly TurnFileChange[]; undoneAt?: string | null }[];
  /** What the user typed. */
  request: string;
  /** Notes the model reads before the request ('' ones are skipped). */
  notes: readonly string[];
  /** AI_CONTEXT_TOKENS and AI_MAX_OUTPUT_TOKENS. */
  contextTokens: number;
  maxOutputTokens: number;
}

export interface TurnContext {
  system: string;
  messages: ModelMessage[];
}

export function buildTurnContext(input: TurnContextInput): TurnContext {
  const base = buildSystemPrompt({ projectName: input.projectName, toolNames: input.toolNames, tree: input.tree });
  const protocol = input.protocol === 'text' ? `\n\n${TEXT_PROTOCOL_INSTRUCTIONS}` : '';
  const notes = input.notes.filter((note) => note !== '');
  const request = notes.length ? `${notes.join('\n\n')}\n\n---\n\n${input.request}` : input.request;
  // The room left for the history: the window, less the answer's room, what is always sent, and the summary's.
  const inputTokens = inputTokensOf(input.contextTokens, input.maxOutputTokens);
  const fixed =
    estimateTokens(base) +
    estimateTokens(protocol) +
    estimateTokens(request) +
    (input.protocol === 'tools' ? TOOL_DEFINITION_TOKENS : 0);
  const fitted = fitHistory({
    history: input.history,
    turns: input.turns,
    budgetTokens: Math.max(0, inputTokens - fixed - SUMMARY_RESERVE_TOKENS),
  });
  const history =
    input.protocol === 'text' ? toTextProtocolMessages(fitted.messages) : toModelMessages(fitted.messages);
  const last = history.at(-1);
  // Text messages of one role in a row are joined (the text history can end with a results note).
  const messages: ModelMessage[] =
    last?.role === 'user' && typeof last.content === 'string'
      ? [...history.slice(0, -1), { role: 'user', content: `${last.content}\n\n${request}` }]
      : [...history, { role: 'user', content: request }];
  return { system: `${base}${protocol}${fitted.summary ? `\n\n${fitted.summary}` : ''}`, messages };
}

/** What a request may take: the window less the answer's room (at least half the window). */
export const inputTokensOf = (contextTokens: number, maxOutputTokens: number) =>
  Math.max(contextTokens - maxOutputTokens, Math.floor(contextTokens / 2));

/** Kept free for the summary of the turns left out (at most SUMMARY_MAX_LINES short lines). */
const SUMMARY_RESERVE_TOKENS = 1_000;
