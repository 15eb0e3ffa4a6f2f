// Anthropic's Messages API. Models come from GET <base>/models (every Claude model takes tools).
import { createAnthropic, type AnthropicProvider as Sdk } from '@ai-sdk/anthropic';
import { z } from 'zod';
import { fetchListing } from './fetch-listing';
import type { ModelInfo, ModelProvider, TurnEvent, TurnRequest } from './model-provider';
import { streamTurn } from './stream-turn';

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicSettings {
  apiKey: string;
  /** Defaults to Anthropic's own API. */
  baseUrl?: string;
  maxRetries: number;
}

const modelListSchema = z.object({
  data: z.array(z.object({ id: z.string().min(1), display_name: z.string().optional() })),
});

export class AnthropicProvider implements ModelProvider {
  readonly id = 'anthropic' as const;
  private readonly sdk: Sdk;
  private readonly baseUrl: string;

  constructor(private readonly settings: AnthropicSettings) {
    this.baseUrl = (settings.baseUrl ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
    this.sdk = createAnthropic({ apiKey: settings.apiKey, baseURL: this.baseUrl });
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const headers = { 'x-api-key': this.settings.apiKey, 'anthropic-version': ANTHROPIC_VERSION };
    const { data } = await fetchListing(`${this.baseUrl}/models?limit=1000`, modelListSchema, { headers, signal });
    return data.map((model) => ({
      id: `${this.id}:${model.id}`,
      provider: this.id,
      label: model.display_name ?? model.id,
      tools: true,
    }));
  }

  streamTurn(request: TurnRequest): AsyncIterable<TurnEvent> {
    return streamTurn(this.sdk.messages(request.model), request, { maxRetries: this.settings.maxRetries });
  }
}
