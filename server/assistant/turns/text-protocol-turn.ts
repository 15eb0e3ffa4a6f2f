// A turn for a model without tool calling: the model is streamed with no tools, its answer goes
// through the TextProtocolParser, and each block is applied as soon as it is complete through the
// turn's own write_file / run_command tools (so locks, the change log, cards and undo work as for
// a tool call), told as the same tool-call / tool-result events. When a step ran a command or
// something failed, the model is told the results and answers again (up to maxSteps).
import { asSchema, type ModelMessage } from 'ai';
import type { ModelProvider, TokenUsage, TurnEvent, TurnRequest } from '../models/model-provider';
import { TOOL_ERROR_PREFIX } from '../tools';
import { filePathSchema } from '../tools/file-tool-context';
import { TextProtocolParser, type TextProtocolEvent } from './text-protocol-parser';
import { resultsAsText } from './text-protocol-messages';

type BlockEvent = Exclude<TextProtocolEvent, { type: 'text' }>;

interface StepResult {
  name: string;
  output: string;
  isError: boolean;
}

export function streamTextProtocolTurn(provider: ModelProvider, request: TurnRequest): AsyncGenerator<TurnEvent> {
  return new TextProtocolTurn(provider, request).run();
}

class TextProtocolTurn {
  private readonly messages: ModelMessage[];
  private calls = 0;
  private step = 0;
  /** The current step's block results and whether it ran a command. */
  private results: StepResult[] = [];
  private ranCommand = false;

  constructor(
    private readonly provider: ModelProvider,
    private readonly request: TurnRequest,
  ) {
    this.messages = [...request.messages];
  }

  async *run(): AsyncGenerator<TurnEvent> {
    const { abortSignal, maxSteps } = this.request;
    const total: Required<TokenUsage> = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    for (;;) {
      this.step++;
      this.results = [];
      this.ranCommand = false;
      const parser = new TextProtocolParser();
      let answer = '';
      let end: Extract<TurnEvent, { type: 'stopped' | 'failed' }> | undefined;
      let finished: { finishReason: string; usage: TokenUsage } = { finishReason: 'stop', usage: {} };
      const model = this.provider.streamTurn({ ...this.request, messages: this.messages, tools: {}, maxSteps: 1 });
      for await (const event of model) {
        if (event.type === 'text') {
          answer += event.text;
          for (const parsed of parser.push(event.text)) yield* this.apply(parsed);
        } else if (event.type === 'step-finish') finished = { finishReason: event.finishReason, usage: event.usage };
        else if (event.type === 'stopped' || event.type === 'failed') {
          end = event;
          break;
        }
      }
      // A stop or a failure: whatever block was still open is not applied.
      if (end || abortSignal.aborted) {
        yield end ?? { type: 'stopped' };
        return;
      }
      for (const parsed of parser.end()) yield* this.apply(parsed);
      if (abortSignal.aborted) {
        yield { type: 'stopped' };
        return;
      }
      total.inputTokens += finished.usage.inputTokens ?? 0;
      total.outputTokens += finished.usage.outputTokens ?? 0;
      total.totalTokens += finished.usage.totalTokens ?? 0;
      yield { type: 'step-finish', ...finished };
      const tellResults = this.ranCommand || this.results.some((result) => result.isError);
      if (!tellResults || this.step >= maxSteps) {
        yield { type: 'finish', finishReason: finished.finishReason, usage: total, messages: [] };
        return;
      }
      this.messages.push(
        { role: 'assistant', content: answer },
        { role: 'user', content: resultsAsText(this.results.map((result) => ({ ...result, callId: '' }))) },
      );
    }
  }

  /** One parsed piece: prose told as text, a block applied through its tool and told as a call and result. */
  private async *apply(parsed: TextProtocolEvent): AsyncGenerator<TurnEvent> {
    if (parsed.type === 'text') {
      yield { type: 'text', text: parsed.text };
      return;
    }
    const call = callOf(parsed);
    const toolCallId = `text_${this.step}_${++this.calls}`;
    yield { type: 'tool-call', toolCallId, toolName: call.name, input: call.input, invalid: call.error !== undefined };
    if (call.name === 'run_command') this.ranCommand = true;
    const result = call.error !== undefined ? { error: call.error } : await this.execute(call, toolCallId);
    if ('error' in result) {
      const message = `${TOOL_ERROR_PREFIX}${result.error}`;
      this.results.push({ name: call.name, output: message, isError: true });
      yield { type: 'tool-error', toolCallId, toolName: call.name, message };
      return;
    }
    const output = typeof result.output === 'string' ? result.output : JSON.stringify(result.output ?? null);
    this.results.push({ name: call.name, output, isError: output.startsWith(TOOL_ERROR_PREFIX) });
    yield { type: 'tool-result', toolCallId, toolName: call.name, output: result.output };
  }

  /** Runs the tool as the SDK would: input checked against its schema, then execute. */
  private async execute(call: { name: string; input: unknown }, toolCallId: string) {
    const tool = this.request.tools[call.name];
    if (!tool?.execute) return { error: `${call.name} is not available in this turn; nothing was done.` };
    const checked = await asSchema(tool.inputSchema).validate?.(call.input);
    if (checked && !checked.success) return { error: `The block does not fit ${call.name}: ${checked.error.message}` };
    try {
      const output: unknown = await tool.execute(checked ? checked.value : call.input, {
        toolCallId,
        messages: this.messages,
        abortSignal: this.request.abortSignal,
      });
      return { output };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** The tool call a block stands for, or why it cannot be one (no path, a path outside the project, cut off…). */
function callOf(block: BlockEvent): { name: string; input: unknown; error?: string } {
  switch (block.type) {
    case 'file': {
      const input = { path: block.path, content: block.content };
      if (block.path === undefined || block.path.trim() === '')
        return { name: 'write_file', input, error: 'A file block needs path=…; nothing was written.' };
      const checked = filePathSchema.safeParse(block.path);
      if (!checked.success)
        return {
          name: 'write_file',
          input,
          error:
            `${block.path} is not a path inside the project (${checked.error.issues[0]?.message ?? 'refused'}); ` +
            'nothing was written. Paths are relative to the project root, without "..".',
        };
      return { name: 'write_file', input };
    }
    case 'shell':
      return block.command
        ? { name: 'run_command', input: { command: block.command } }
        : { name: 'run_command', input: { command: '' }, error: 'The shell block was empty; nothing was run.' };
    case 'unterminated':
      return block.block === 'file'
        ? {
            name: 'write_file',
            input: { path: block.path },
            error:
              `The file block for ${block.path ?? '(no path)'} was not closed with \`\`\` before the answer ended ` +
              '(too long an answer?); nothing was written. Send the whole file again in one complete block.',
          }
        : {
            name: 'run_command',
            input: {},
            error: 'The shell block was not closed with ``` before the answer ended; nothing was run.',
          };
  }
}
