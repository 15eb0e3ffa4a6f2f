// Ollama's native API (ollama-ai-provider-v2). Models come from GET /api/tags; whether one takes
// tools from its capabilities in POST /api/show (older Ollama lists none: then no tools).
import { createOllama, type OllamaProvider as Sdk } from 'ollama-ai-provider-v2';
import { z } from 'zod';
import { fetchListing } from './fetch-listing';
import type { ModelInfo, ModelProvider, TurnEvent, TurnRequest } from './model-provider';
import { streamTurn } from './stream-turn';

export interface OllamaSettings {
  /** Ollama's own address, e.g. http://localhost:11434 (no /api, no /v1). */
  url: string;
  maxRetries: number;
  /** For a user's own Ollama: the guarded fetch (provider-url-policy.ts). */
  fetch?: typeof fetch;
}

const tagsSchema = z.object({ models: z.array(z.object({ name: z.string().min(1) })) });
const showSchema = z.object({ capabilities: z.array(z.string()).optional() });

export class OllamaProvider implements ModelProvider {
  readonly id = 'ollama' as const;
  private readonly sdk: Sdk;
  private readonly url: string;

  constructor(private readonly settings: OllamaSettings) {
    this.url = settings.url.replace(/\/+$/, '');
    this.sdk = createOllama({ baseURL: `${this.url}/api`, fetch: settings.fetch });
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const { models } = await fetchListing(`${this.url}/api/tags`, tagsSchema, {
      signal,
      fetch: this.settings.fetch,
    });
    return Promise.all(
      models.map(async ({ name }) => ({
        id: `${this.id}:${name}`,
        provider: this.id,
        label: name,
        tools: await this.takesTools(name, signal),
      })),
    );
  }

  streamTurn(request: TurnRequest): AsyncIterable<TurnEvent> {
    return streamTurn(this.sdk.chat(request.model), request, { maxRetries: this.settings.maxRetries });
  }

  private async takesTools(model: string, signal?: AbortSignal): Promise<boolean> {
    const shown = await fetchListing(`${this.url}/api/show`, showSchema, {
      body: { model },
      signal,
      fetch: this.settings.fetch,
    }).catch(() => null);
    return shown?.capabilities?.includes('tools') ?? false;
  }
}
