// One turn through the AI SDK's tool loop (`streamText`), translated into Berth's TurnEvents.
// Shared by every provider: they differ only in the LanguageModel they hand in.
import {
  stepCountIs,
  streamText,
  type LanguageModel,
  type LanguageModelUsage,
  type TextStreamPart,
  type ToolSet,
} from 'ai';
import type { TokenUsage, TurnEvent, TurnRequest } from './model-provider';

export interface StreamTurnOptions {
  /** Retries of a failed model call; small, a person is waiting (the SDK's default of 2 takes ~6 s). */
  maxRetries: number;
}

export async function* streamTurn(
  model: LanguageModel,
  request: TurnRequest,
  options: StreamTurnOptions,
): AsyncGenerator<TurnEvent> {
  // The SDK ends cleanly only on an AbortError: a caller's abort(reason) with any other reason
  // would surface as a failed API call mid-stream. So the caller's signal is relayed as one.
  const stop = new AbortController();
  const relayAbort = () => stop.abort(new DOMException('The turn was stopped', 'AbortError'));
  if (request.abortSignal.aborted) relayAbort();
  else request.abortSignal.addEventListener('abort', relayAbort, { once: true });

  let failure: string | undefined;
  let finished: { finishReason: string; usage: TokenUsage } | undefined;
  try {
    const result = streamText({
      model,
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      stopWhen: stepCountIs(request.maxSteps),
      abortSignal: stop.signal,
      maxRetries: options.maxRetries,
      maxOutputTokens: request.maxOutputTokens,
      // A long turn's messages outgrow the context window: earlier outputs are cut for that call.
      prepareStep: ({ messages }) => {
        const fitted = request.fitMessages?.(messages);
        return fitted ? { messages: fitted } : {};
      },
      // Errors arrive as 'error' parts below; the SDK's default handler would print each one,
      // request body (the conversation) included, to stderr.
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      if (part.type === 'error') failure ??= messageOf(part.error);
      else if (part.type === 'finish') finished = { finishReason: part.finishReason, usage: usageOf(part.totalUsage) };
      else {
        const event = turnEventOf(part);
        if (event) yield event;
      }
    }
    if (stop.signal.aborted) yield { type: 'stopped' };
    else if (failure !== undefined || !finished)
      yield { type: 'failed', message: failure ?? 'The model stream ended early' };
    else yield { type: 'finish', ...finished, messages: (await result.response).messages };
  } catch (error) {
    yield stop.signal.aborted ? { type: 'stopped' } : { type: 'failed', message: messageOf(error) };
  } finally {
    request.abortSignal.removeEventListener('abort', relayAbort);
  }
}

/** The parts a turn reports; the rest (starts, ends, input deltas, reasoning, raw) are the SDK's bookkeeping. */
function turnEventOf(part: TextStreamPart<ToolSet>): TurnEvent | undefined {
  switch (part.type) {
    case 'text-delta':
      return { type: 'text', text: part.text };
    case 'tool-call':
      return {
        type: 'tool-call',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: part.input,
        invalid: part.invalid === true,
      };
    case 'tool-result':
      return { type: 'tool-result', toolCallId: part.toolCallId, toolName: part.toolName, output: part.output };
    case 'tool-error':
      return {
        type: 'tool-error',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        message: messageOf(part.error),
      };
    case 'finish-step':
      return { type: 'step-finish', finishReason: part.finishReason, usage: usageOf(part.usage) };
    default:
      return undefined;
  }
}

function usageOf(usage: LanguageModelUsage): TokenUsage {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
