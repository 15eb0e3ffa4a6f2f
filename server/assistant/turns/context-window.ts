// What of a long conversation goes to the model: the newest turns that fit the token budget, and
// one short line per older turn (what was asked, which files changed) instead of dropping them
// silently. Long tool results and long tool arguments (a whole file written) in the history are
// cut first, so one big output does not push every earlier turn out. Pure: no I/O, deterministic.
import type { AssistantToolCall, AssistantToolResult, MessageDto, TurnFileChange } from '../../contracts';

/** Characters per token, the usual rough estimate for English and code. */
export const CHARS_PER_TOKEN = 4;
/** A stored tool result longer than this goes to the model as its last part only. */
export const HISTORY_RESULT_MAX_CHARS = 4_000;
/** A string argument of a stored tool call (a written file's content) longer than this is cut to its start. */
export const HISTORY_ARG_MAX_CHARS = 2_000;
/** A request in a summary line is cut to this many characters. */
export const SUMMARY_REQUEST_MAX_CHARS = 160;
/** Summary lines at most; older requests are only counted. */
export const SUMMARY_MAX_LINES = 40;

export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

export interface FitHistoryInput {
  /** The stored conversation before this turn, oldest first. */
  history: readonly MessageDto[];
  /** The conversation's turns (for the files each changed, and whether the user undid it); optional. */
  turns?: readonly { id: string; changedFiles: readonly TurnFileChange[]; undoneAt?: string | null }[];
  /** Tokens the kept messages may take. */
  budgetTokens: number;
}

export interface FittedHistory {
  /** The messages to send, newest turns whole, long outputs cut. */
  messages: MessageDto[];
  /** One line per older turn that was left out, for the system prompt; '' when none was. */
  summary: string;
}

/** Fits the history into `budgetTokens`: whole turns, newest first, the rest summarised. */
export function fitHistory({ history, turns = [], budgetTokens }: FitHistoryInput): FittedHistory {
  const groups = groupByRequest(history.map(shortenMessage));
  const kept: MessageDto[][] = [];
  let used = 0;
  let index = groups.length - 1;
  for (; index >= 0; index--) {
    const cost = groups[index]!.reduce((sum, message) => sum + messageTokens(message), 0);
    if (used + cost > budgetTokens) break;
    used += cost;
    kept.unshift(groups[index]!);
  }
  const dropped = groups.slice(0, index + 1);
  return { messages: kept.flat(), summary: summarise(dropped, turns) };
}

/** Token estimate of one message as it is sent (text, call arguments, results). */
export function messageTokens(message: MessageDto): number {
  let chars = message.content.length + 8; // role and framing
  for (const attachment of message.attachments)
    chars += attachment.path.length + (attachment.selection?.text.length ?? 0) + 32;
  for (const call of message.toolCalls) chars += call.name.length + JSON.stringify(call.args ?? null).length + 16;
  for (const result of message.toolResults)
    chars +=
      (typeof result.output === 'string' ? result.output.length : JSON.stringify(result.output ?? null).length) + 16;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Keeps the end of a long text (a command's output ends with what matters) behind a marker. */
export function keepTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `[… ${text.length - maxChars} earlier characters left out …]\n${text.slice(text.length - maxChars)}`;
}

function keepHead(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} more characters left out …]`;
}

function shortenMessage(message: MessageDto): MessageDto {
  if (message.role === 'tool' && message.toolResults.length)
    return { ...message, toolResults: message.toolResults.map(shortenResult) };
  if (message.role === 'assistant' && message.toolCalls.length)
    return { ...message, toolCalls: message.toolCalls.map(shortenCall) };
  return message;
}

function shortenResult(result: AssistantToolResult): AssistantToolResult {
  const text = typeof result.output === 'string' ? result.output : JSON.stringify(result.output ?? null);
  if (text.length <= HISTORY_RESULT_MAX_CHARS) return result;
  return { ...result, output: keepTail(text, HISTORY_RESULT_MAX_CHARS) };
}

function shortenCall(call: AssistantToolCall): AssistantToolCall {
  if (!call.args || typeof call.args !== 'object' || Array.isArray(call.args)) return call;
  const entries = Object.entries(call.args as Record<string, unknown>);
  if (!entries.some(([, value]) => typeof value === 'string' && value.length > HISTORY_ARG_MAX_CHARS)) return call;
  return {
    ...call,
    args: Object.fromEntries(
      entries.map(([key, value]) => [key, typeof value === 'string' ? keepHead(value, HISTORY_ARG_MAX_CHARS) : value]),
    ),
  };
}

/** Messages grouped per request: each group starts at a user message (what came before one stays with it). */
function groupByRequest(messages: readonly MessageDto[]): MessageDto[][] {
  const groups: MessageDto[][] = [];
  for (const message of messages) {
    if (message.role === 'user' || groups.length === 0) groups.push([message]);
    else groups.at(-1)!.push(message);
  }
  return groups;
}

function summarise(groups: readonly MessageDto[][], turns: FitHistoryInput['turns'] & object): string {
  if (!groups.length) return '';
  const changedByTurn = new Map(turns.map((turn) => [turn.id, turn.changedFiles]));
  const undone = new Set(turns.filter((turn) => turn.undoneAt).map((turn) => turn.id));
  const lines = groups.map((group) => summaryLine(group, changedByTurn, undone));
  const shown = lines.slice(-SUMMARY_MAX_LINES);
  const hidden = lines.length - shown.length;
  return [
    'Earlier in this conversation (left out to fit the context; read files again rather than trusting memory):',
    ...(hidden > 0 ? [`- (${hidden} earlier request${hidden === 1 ? '' : 's'} not listed)`] : []),
    ...shown,
  ].join('\n');
}

function summaryLine(
  group: readonly MessageDto[],
  changedByTurn: Map<string, readonly TurnFileChange[]>,
  undone: ReadonlySet<string>,
): string {
  const request = group.find((message) => message.role === 'user');
  const asked = request ? oneLine(request.content, SUMMARY_REQUEST_MAX_CHARS) : '(no request)';
  const turnId = request?.turnId ?? group.find((message) => message.turnId)?.turnId;
  const changes = (turnId && changedByTurn.get(turnId)) || changesFromCalls(group);
  const files = changes.length
    ? `changed ${changes.map((change) => `${change.path} (${change.change})`).join(', ')}`
    : 'no files changed';
  return `- The user asked: "${asked}" → ${files}${turnId && undone.has(turnId) ? ' (undone by the user)' : ''}`;
}

/** Without the turn's record: the paths the changing tools were called with. */
function changesFromCalls(group: readonly MessageDto[]): TurnFileChange[] {
  const kinds: Record<string, TurnFileChange['change']> = {
    write_file: 'modified',
    edit_file: 'modified',
    delete_file: 'deleted',
  };
  const seen = new Map<string, TurnFileChange['change']>();
  for (const message of group)
    for (const call of message.toolCalls) {
      const change = kinds[call.name];
      const path = (call.args as { path?: unknown } | null)?.path;
      if (change && typeof path === 'string') seen.set(path, change);
    }
  return [...seen].map(([path, change]) => ({ path, change }));
}

function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1)}…`;
}
