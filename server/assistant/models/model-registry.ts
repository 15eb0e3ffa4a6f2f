// Which model providers this server has (from the settings), the models each offers now, and
// which provider and model a `<provider>:<model>` id means. A user may add their own providers
// (their keys, /settings/ai): for that user theirs are used besides the admin's, and their
// provider wins over the admin's of the same kind. With none configured it says exactly what to
// set, and which model servers it found on localhost.
import type { Config } from '../../config';
import { AI_PROVIDER_IDS, type AiModelListDto, type AiProviderId } from '../../contracts';
import { DomainError } from '../../core/errors';
import { AnthropicProvider } from './anthropic-provider';
import type { DetectLocalModelServers } from './local-model-servers';
import type { ModelProvider } from './model-provider';
import { OllamaProvider } from './ollama-provider';
import { OPENAI_DEFAULT_BASE_URL, OpenAICompatibleProvider } from './openai-compatible-provider';

export type AiSettings = Pick<
  Config,
  'AI_OPENAI_BASE_URL' | 'AI_OPENAI_API_KEY' | 'AI_ANTHROPIC_API_KEY' | 'AI_OLLAMA_URL' | 'AI_DEFAULT_MODEL'
>;

/** A person is waiting for the answer: one retry of a failed model call, not the SDK's two. */
export const INTERACTIVE_MAX_RETRIES = 1;

export const SETUP_HINT =
  'No AI model provider is configured. Set AI_OPENAI_BASE_URL (an OpenAI-compatible endpoint such as ' +
  'http://localhost:1234/v1 for LM Studio or http://localhost:11434/v1 for Ollama, with AI_OPENAI_API_KEY if it ' +
  'needs one; AI_OPENAI_API_KEY alone means OpenAI), AI_ANTHROPIC_API_KEY, or AI_OLLAMA_URL ' +
  '(e.g. http://localhost:11434), then restart Berth.';

/** Where a user's own providers come from (UserAiSettingsService). */
export interface UserProviderSource {
  /** The user's own providers, built with their keys; [] when they have none. */
  providersFor(userId: string): Promise<ModelProvider[]>;
}

export interface ModelRegistryExtras {
  userProviders?: UserProviderSource;
  /** With nothing configured: what answers on localhost (Ollama, LM Studio). */
  detectLocal?: DetectLocalModelServers;
}

export interface ResolvedModel {
  provider: ModelProvider;
  /** The provider's own model name. */
  model: string;
  /** `<provider>:<model>` */
  id: string;
}

export class ModelRegistry {
  constructor(
    private readonly providers: readonly ModelProvider[],
    private readonly defaultModel?: string,
    private readonly extras: ModelRegistryExtras = {},
  ) {}

  static fromSettings(
    settings: AiSettings,
    maxRetries = INTERACTIVE_MAX_RETRIES,
    extras: ModelRegistryExtras = {},
  ): ModelRegistry {
    const providers: ModelProvider[] = [];
    if (settings.AI_OPENAI_BASE_URL || settings.AI_OPENAI_API_KEY)
      providers.push(
        new OpenAICompatibleProvider({
          baseUrl: settings.AI_OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
          apiKey: settings.AI_OPENAI_API_KEY,
          maxRetries,
        }),
      );
    if (settings.AI_ANTHROPIC_API_KEY)
      providers.push(new AnthropicProvider({ apiKey: settings.AI_ANTHROPIC_API_KEY, maxRetries }));
    if (settings.AI_OLLAMA_URL) providers.push(new OllamaProvider({ url: settings.AI_OLLAMA_URL, maxRetries }));
    return new ModelRegistry(providers, settings.AI_DEFAULT_MODEL, extras);
  }

  get configured(): boolean {
    return this.providers.length > 0;
  }

  /**
   * The registry as `userId` sees it: the admin's providers with the user's own added, the user's
   * replacing the admin's of the same kind (AI_DEFAULT_MODEL then only when its provider is still
   * the admin's). Without a user, or with none of their own, this registry.
   */
  async forUser(userId?: string): Promise<ModelRegistry> {
    if (!userId || !this.extras.userProviders) return this;
    const own = await this.extras.userProviders.providersFor(userId);
    if (own.length === 0) return this;
    const ownIds = new Set(own.map((provider) => provider.id));
    const defaultModel =
      this.defaultModel && !ownIds.has(this.defaultModel.slice(0, this.defaultModel.indexOf(':')) as AiProviderId)
        ? this.defaultModel
        : undefined;
    return new ModelRegistry([...this.providers.filter((provider) => !ownIds.has(provider.id)), ...own], defaultModel, {
      detectLocal: this.extras.detectLocal,
    });
  }

  /** Every configured provider's models (the user's own too); one that does not answer is reported, not fatal. */
  async listModels(signal?: AbortSignal, userId?: string): Promise<AiModelListDto> {
    if (userId) return (await this.forUser(userId)).listModels(signal);
    if (!this.configured) {
      const detected = (await this.extras.detectLocal?.()) ?? [];
      return { models: [], setup: SETUP_HINT, ...(detected.length > 0 ? { detected } : {}) };
    }
    const listed = await Promise.allSettled(this.providers.map((provider) => provider.listModels(signal)));
    const answer: AiModelListDto = { models: [] };
    listed.forEach((result, index) => {
      if (result.status === 'fulfilled') answer.models.push(...result.value);
      else
        (answer.unreachable ??= []).push({
          provider: this.providers[index]!.id,
          message: result.reason instanceof Error ? result.reason.message : String(result.reason),
        });
    });
    return answer;
  }

  /** The provider and model for `id`, else AI_DEFAULT_MODEL, else the first model listed (for `userId`: with theirs). */
  async resolve(id?: string, userId?: string): Promise<ResolvedModel> {
    if (userId) return (await this.forUser(userId)).resolve(id);
    if (!this.configured) throw new DomainError('not_configured', 'ai_not_configured', SETUP_HINT);
    const chosen = id ?? this.defaultModel ?? (await this.listModels()).models[0]?.id;
    if (!chosen)
      throw new DomainError('unavailable', 'no_models', 'No configured AI provider offers a model right now');
    const separator = chosen.indexOf(':');
    const providerId = chosen.slice(0, separator) as AiProviderId;
    const model = chosen.slice(separator + 1);
    const provider = this.providers.find((candidate) => candidate.id === providerId);
    if (separator < 1 || !model || !AI_PROVIDER_IDS.includes(providerId))
      throw new DomainError(
        'bad_request',
        'bad_model',
        `A model id is <provider>:<model>, not ${JSON.stringify(chosen)}`,
      );
    if (!provider)
      throw new DomainError('bad_request', 'provider_not_configured', `The ${providerId} provider is not configured`);
    return { provider, model, id: chosen };
  }
}
