// What a turn said and did, as the messages the conversation stores: per model step, one
// assistant message (its text and tool calls) then one tool message (the calls' results).
// Calls a stop or a failure left without a result get an error result, so the history stays a
// valid conversation to send to a model again (providers refuse a call with no answer).
import type { AssistantToolCall, AssistantToolResult, NewMessageInput } from '../../contracts';

export const UNANSWERED_CALL_ERROR = 'Error: the turn ended before this call finished; nothing more was done.';

export class TurnTranscript {
  private text = '';
  private calls: AssistantToolCall[] = [];
  private results: AssistantToolResult[] = [];

  addText(text: string): void {
    this.text += text;
  }

  addCall(call: AssistantToolCall): void {
    this.calls.push(call);
  }

  addResult(result: AssistantToolResult): void {
    this.results.push(result);
  }

  /** The step's messages so far (none when it said nothing), and starts a new step. */
  take(): NewMessageInput[] {
    const answered = new Set(this.results.map((result) => result.callId));
    const results = [
      ...this.results,
      ...this.calls
        .filter((call) => !answered.has(call.id))
        .map((call) => ({ callId: call.id, name: call.name, output: UNANSWERED_CALL_ERROR, isError: true })),
    ];
    const messages: NewMessageInput[] = [];
    if (this.text || this.calls.length) messages.push({ role: 'assistant', content: this.text, toolCalls: this.calls });
    if (results.length) messages.push({ role: 'tool', content: '', toolResults: results });
    this.text = '';
    this.calls = [];
    this.results = [];
    return messages;
  }
}
