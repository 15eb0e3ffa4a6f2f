// The text protocol's side of a conversation: what the system prompt tells a model without tool
// calling, and the stored history as plain text messages (a model without tools may refuse tool
// messages): its past writes and commands as the blocks it wrote, their results as a user note.
import type { ModelMessage } from 'ai';
import type { AssistantToolCall, AssistantToolResult, MessageDto } from '../../contracts';
import { fenced } from './turn-attachments';
import { userText } from './model-messages';

export const TEXT_PROTOCOL_INSTRUCTIONS = [
  'You cannot call tools. To change the project, write blocks in your answer; Berth applies each one as soon as it',
  'is complete:',
  '- To create or replace a file, write its COMPLETE new content in a file block (never a part, never "…"):',
  '```file path=src/App.jsx',
  'export default function App() {',
  '  return <h1>Hello</h1>;',
  '}',
  '```',
  '- To run a shell command in the project folder (output and exit code come back to you), write a shell block:',
  '```shell',
  'npm install zustand',
  '```',
  'Paths are relative to the project root. Other code fences (```js …) are only shown to the user, never applied.',
  'After your blocks you are told their results; answer without blocks when the work is done.',
].join('\n');

/** The stored history as text messages, consecutive messages of one role joined. */
export function toTextProtocolMessages(messages: readonly MessageDto[]): ModelMessage[] {
  const out: { role: 'user' | 'assistant'; content: string }[] = [];
  const add = (role: 'user' | 'assistant', content: string) => {
    if (!content) return;
    const last = out.at(-1);
    if (last?.role === role) last.content += `\n\n${content}`;
    else out.push({ role, content });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        add('user', userText(message));
        break;
      case 'assistant':
        add('assistant', [message.content, ...message.toolCalls.map(callAsText)].filter(Boolean).join('\n'));
        break;
      case 'tool':
        add('user', resultsAsText(message.toolResults));
        break;
      case 'system':
        break;
    }
  }
  return out;
}

/** A past call as the block that makes it (or a line, for a tool the protocol has no block for). */
export function callAsText(call: AssistantToolCall): string {
  const args = (call.args ?? {}) as { path?: unknown; content?: unknown; command?: unknown };
  if (call.name === 'write_file' && typeof args.path === 'string' && typeof args.content === 'string')
    return fencedBlock(`file path=${args.path}`, args.content);
  if (call.name === 'run_command' && typeof args.command === 'string') return fencedBlock('shell', args.command);
  return `[${call.name} ${JSON.stringify(call.args ?? null)}]`;
}

export function resultsAsText(results: readonly AssistantToolResult[]): string {
  if (!results.length) return '';
  return [
    'Results of your blocks:',
    ...results.map(
      (result) =>
        `- ${result.name}: ${typeof result.output === 'string' ? result.output : JSON.stringify(result.output ?? null)}`,
    ),
  ].join('\n');
}

function fencedBlock(info: string, body: string): string {
  const block = fenced(body);
  const fence = block.slice(0, block.indexOf('\n'));
  return `${fence}${info}${block.slice(fence.length)}`;
}
