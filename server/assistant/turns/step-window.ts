// The context window inside one turn: every step of the tool loop sends the turn's messages so
// far, and a long turn (25 steps of file reads and command output) outgrows the window. Before a
// step whose messages would not fit, the outputs of earlier calls (and long call arguments, such
// as a whole file written) are cut, oldest first, until they fit; the newest message (what the
// model must answer now) is left whole. Pure: the caller sends the result for that step only.
import type { ModelMessage, ToolResultPart } from 'ai';
import { CHARS_PER_TOKEN, keepTail } from './context-window';

/** What an earlier call's output or long argument keeps once cut. */
export const STEP_CUT_CHARS = 600;

const tokensOf = (message: ModelMessage) => Math.ceil(JSON.stringify(message.content).length / CHARS_PER_TOKEN);

/** The messages cut to fit `budgetTokens`, or undefined when they fit as they are. */
export function fitStepMessages(messages: readonly ModelMessage[], budgetTokens: number): ModelMessage[] | undefined {
  let total = messages.reduce((sum, message) => sum + tokensOf(message), 0);
  if (total <= budgetTokens) return undefined;
  const fitted = [...messages];
  for (let index = 0; index < fitted.length - 1 && total > budgetTokens; index++) {
    const message = fitted[index]!;
    const cut = cutMessage(message);
    if (cut === message) continue;
    total += tokensOf(cut) - tokensOf(message);
    fitted[index] = cut;
  }
  return fitted;
}

function cutMessage(message: ModelMessage): ModelMessage {
  if (message.role === 'tool') {
    let changed = false;
    const content = message.content.map((part) => {
      if (part.type !== 'tool-result') return part;
      const output = cutOutput(part.output);
      if (output === part.output) return part;
      changed = true;
      return { ...part, output };
    });
    return changed ? { ...message, content } : message;
  }
  if (message.role === 'assistant' && typeof message.content !== 'string') {
    let changed = false;
    const content = message.content.map((part) => {
      if (part.type !== 'tool-call' || !part.input || typeof part.input !== 'object') return part;
      const entries = Object.entries(part.input as Record<string, unknown>);
      if (!entries.some(([, value]) => typeof value === 'string' && value.length > STEP_CUT_CHARS)) return part;
      changed = true;
      const input = Object.fromEntries(
        entries.map(([key, value]) => [
          key,
          typeof value === 'string' && value.length > STEP_CUT_CHARS
            ? `${value.slice(0, STEP_CUT_CHARS)}\n[… ${value.length - STEP_CUT_CHARS} more characters left out …]`
            : value,
        ]),
      );
      return { ...part, input };
    });
    return changed ? { ...message, content } : message;
  }
  return message;
}

function cutOutput(output: ToolResultPart['output']): ToolResultPart['output'] {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value.length > STEP_CUT_CHARS
        ? { ...output, value: keepTail(output.value, STEP_CUT_CHARS) }
        : output;
    case 'json':
    case 'error-json': {
      const text = JSON.stringify(output.value);
      if (text.length <= STEP_CUT_CHARS) return output;
      return { type: output.type === 'json' ? 'text' : 'error-text', value: keepTail(text, STEP_CUT_CHARS) };
    }
    default:
      return output;
  }
}
