// A stored conversation as the messages a model is sent (the AI SDK's ModelMessage): user text
// (after the selections they attached), assistant text with its tool calls, and tool results
// (errors as error text, so the model knows the call failed). System messages are not replayed:
// the system prompt is built anew.
import type { JSONValue, ModelMessage, ToolResultPart } from 'ai';
import type { AssistantToolResult, MessageDto } from '../../contracts';
import { attachmentsReplay } from './turn-attachments';

export function toModelMessages(messages: readonly MessageDto[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: userText(message) });
        break;
      case 'assistant': {
        const content = [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...message.toolCalls.map((call) => ({
            type: 'tool-call' as const,
            toolCallId: call.id,
            toolName: call.name,
            input: call.args,
          })),
        ];
        if (content.length) out.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
        if (message.toolResults.length) out.push({ role: 'tool', content: message.toolResults.map(toToolResultPart) });
        break;
      case 'system':
        break;
    }
  }
  return out;
}

function toToolResultPart(result: AssistantToolResult): ToolResultPart {
  const text = typeof result.output === 'string' ? result.output : undefined;
  return {
    type: 'tool-result',
    toolCallId: result.callId,
    toolName: result.name,
    output: result.isError
      ? { type: 'error-text', value: text ?? JSON.stringify(result.output) }
      : text !== undefined
        ? { type: 'text', value: text }
        : { type: 'json', value: (result.output ?? null) as JSONValue },
  };
}

/** A user message as sent again: its attachments (selections' text, files' names) before what they typed. */
export function userText(message: MessageDto): string {
  const attached = attachmentsReplay(message.attachments);
  return attached ? `${attached}\n\n${message.content}` : message.content;
}
