// Any OpenAI-compatible chat-completions endpoint: OpenAI, OpenRouter, vLLM, llama.cpp's
// llama-server, LM Studio, Ollama's /v1. Models come from GET <base>/models.
import { createOpenAICompatible, type OpenAICompatibleProvider as Sdk } from '@ai-sdk/openai-compatible';
import { z } from 'zod';
import { fetchListing } from './fetch-listing';
import type { ModelInfo, ModelProvider, TurnEvent, TurnRequest } from './model-provider';
import { streamTurn } from './stream-turn';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAICompatibleSettings {
  /** Ends in /v1, e.g. http://localhost:1234/v1 */
  baseUrl: string;
  apiKey?: string;
  maxRetries: number;
  /** For a user's own endpoint: the guarded fetch (provider-url-policy.ts). */
  fetch?: typeof fetch;
}

const modelListSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1),
      // OpenRouter says which parameters a model takes; most servers say nothing.
      supported_parameters: z.array(z.string()).optional(),
    }),
  ),
});

export class OpenAICompatibleProvider implements ModelProvider {
  readonly id = 'openai' as const;
  private readonly sdk: Sdk;
  private readonly baseUrl: string;

  constructor(private readonly settings: OpenAICompatibleSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    // includeUsage asks for the usage chunk (stream_options.include_usage); without it no token counts.
    this.sdk = createOpenAICompatible({
      name: 'openai',
      baseURL: this.baseUrl,
      apiKey: settings.apiKey,
      includeUsage: true,
      fetch: settings.fetch,
    });
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const headers: Record<string, string> = this.settings.apiKey
      ? { authorization: `Bearer ${this.settings.apiKey}` }
      : {};
    const { data } = await fetchListing(`${this.baseUrl}/models`, modelListSchema, {
      headers,
      signal,
      fetch: this.settings.fetch,
    });
    return data.map((model) => ({
      id: `${this.id}:${model.id}`,
      provider: this.id,
      label: model.id,
      tools: model.supported_parameters ? model.supported_parameters.includes('tools') : true,
    }));
  }

  streamTurn(request: TurnRequest): AsyncIterable<TurnEvent> {
    return streamTurn(this.sdk.chatModel(request.model), request, { maxRetries: this.settings.maxRetries });
  }
}
