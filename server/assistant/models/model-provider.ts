// The one interface every model provider implements (DESIGN.md "Assistant"): list its models and
// stream one turn. A turn is the SDK's tool loop (model → tool calls → results → model …) seen as
// Berth's own events, so the turn engine never depends on the SDK's stream shapes.
import type { ModelMessage, ToolSet } from 'ai';
import type { AiModelDto, AiProviderId } from '../../contracts';

export type ModelInfo = AiModelDto;

export interface TurnRequest {
  /** The provider's own model name (without the `provider:` prefix). */
  model: string;
  system: string;
  messages: ModelMessage[];
  /** Tools built with `tool()` from 'ai': zod input schema + execute. */
  tools: ToolSet;
  /** Stops the turn: the model stream and running tools. */
  abortSignal: AbortSignal;
  /** Model calls in this turn at most (AI_MAX_STEPS). */
  maxSteps: number;
  maxOutputTokens?: number;
  /** Before each model call of the turn: the messages to send instead when they outgrow the context (undefined = as they are). */
  fitMessages?: (messages: ModelMessage[]) => ModelMessage[] | undefined;
}

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** What a turn reports, in order; exactly one of finish | stopped | failed comes last. */
export type TurnEvent =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown; invalid: boolean }
  | { type: 'tool-result'; toolCallId: string; toolName: string; output: unknown }
  | { type: 'tool-error'; toolCallId: string; toolName: string; message: string }
  | { type: 'step-finish'; finishReason: string; usage: TokenUsage }
  /** The model ended the turn (or reached maxSteps); `messages` are the assistant and tool messages to keep. */
  | { type: 'finish'; finishReason: string; usage: TokenUsage; messages: ModelMessage[] }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

export interface ModelProvider {
  readonly id: AiProviderId;
  /** The models this provider offers now, asked from the provider itself. */
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  streamTurn(request: TurnRequest): AsyncIterable<TurnEvent>;
}
