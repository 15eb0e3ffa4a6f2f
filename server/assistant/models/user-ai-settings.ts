// A user's own model providers (issue 11): read masked, changed field by field, tried before
// saving, and turned into providers for ModelRegistry. Keys are sealed at rest (SecretBox) and
// leave this file only as a mask ("sk-…abcd") or inside a provider object; URLs a user gives are
// checked against the SSRF policy when saved and on every connection (provider-url-policy.ts).
import type { PrismaClient } from '../../db';
import { DomainError } from '../../core/errors';
import type { AiKeySettingDto, AiModelListDto, UpdateUserAiSettingsInput, UserAiSettingsDto } from '../../contracts';
import { AnthropicProvider } from './anthropic-provider';
import type { ModelProvider } from './model-provider';
import { INTERACTIVE_MAX_RETRIES, ModelRegistry, type UserProviderSource } from './model-registry';
import { OllamaProvider } from './ollama-provider';
import { OPENAI_DEFAULT_BASE_URL, OpenAICompatibleProvider } from './openai-compatible-provider';
import {
  checkProviderUrl,
  createGuardedFetch,
  normalizeProviderUrl,
  ProviderUrlRefused,
  type ResolveHost,
} from './provider-url-policy';
import type { SecretBox } from '../../core/secret-box';

/** How long a user's built providers are reused; a change through this service drops them at once. */
const PROVIDERS_KEEP_MS = 30_000;

export interface UserAiSettingsOptions {
  /** Hosts a user's provider URL may name although they are internal (AI_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts: readonly string[];
  maxRetries?: number;
  /** DNS for the save-time check (tests). */
  resolveHost?: ResolveHost;
}

/** The stored row, keys still sealed. */
interface StoredSettings {
  openaiBaseUrl: string | null;
  openaiApiKey: string | null;
  anthropicApiKey: string | null;
  ollamaUrl: string | null;
}

/** What providers are built from: keys open, or `unreadable` when they no longer open. */
interface OpenSettings {
  openaiBaseUrl: string | null;
  openaiApiKey: string | null | typeof UNREADABLE;
  anthropicApiKey: string | null | typeof UNREADABLE;
  ollamaUrl: string | null;
}

const UNREADABLE = Symbol('unreadable');
const EMPTY: StoredSettings = { openaiBaseUrl: null, openaiApiKey: null, anthropicApiKey: null, ollamaUrl: null };
const URL_FIELDS = ['openaiBaseUrl', 'ollamaUrl'] as const;

/** "sk-…abcd": enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string | null {
  if (key.length >= 16) return `${key.slice(0, 3)}…${key.slice(-4)}`;
  if (key.length >= 8) return `…${key.slice(-2)}`;
  return null;
}

export class UserAiSettingsService implements UserProviderSource {
  private readonly guardedFetch: typeof fetch;
  private readonly kept = new Map<string, { at: number; providers: Promise<ModelProvider[]> }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly options: UserAiSettingsOptions,
  ) {
    this.guardedFetch = createGuardedFetch(options.allowPrivateHosts);
  }

  async get(userId: string): Promise<UserAiSettingsDto> {
    const row = await this.prisma.userAiSettings.findUnique({ where: { userId } });
    return this.toDto(row ?? EMPTY, row?.updatedAt ?? null);
  }

  /** A field omitted stays as it is, null clears it. A refused URL is a 400 on its field. */
  async update(userId: string, input: UpdateUserAiSettingsInput): Promise<UserAiSettingsDto> {
    await this.checkUrls(input);
    const data: Partial<StoredSettings> = {};
    for (const field of URL_FIELDS) {
      const value = input[field];
      if (value !== undefined) data[field] = value === null ? null : normalizeProviderUrl(value);
    }
    for (const field of ['openaiApiKey', 'anthropicApiKey'] as const) {
      const value = input[field];
      if (value !== undefined) data[field] = value === null ? null : this.box.seal(value);
    }
    const row = await this.prisma.userAiSettings.upsert({
      where: { userId },
      create: { userId, ...data },
      update: data,
    });
    this.kept.delete(userId);
    return this.toDto(row, row.updatedAt);
  }

  /** The models the saved settings with `input` over them would give, without saving anything. */
  async test(userId: string, input: UpdateUserAiSettingsInput): Promise<AiModelListDto> {
    await this.checkUrls(input);
    const saved = this.open((await this.prisma.userAiSettings.findUnique({ where: { userId } })) ?? EMPTY);
    const merged: OpenSettings = {
      openaiBaseUrl: pick(input.openaiBaseUrl, saved.openaiBaseUrl),
      openaiApiKey: pick(input.openaiApiKey, saved.openaiApiKey),
      anthropicApiKey: pick(input.anthropicApiKey, saved.anthropicApiKey),
      ollamaUrl: pick(input.ollamaUrl, saved.ollamaUrl),
    };
    const providers = this.build(merged);
    if (providers.length === 0)
      throw new DomainError(
        'bad_request',
        'nothing_to_test',
        merged.openaiApiKey === UNREADABLE || merged.anthropicApiKey === UNREADABLE
          ? 'The saved key was stored under another AUTH_SECRET: enter it again'
          : 'Nothing to test: enter a URL or a key first',
      );
    return new ModelRegistry(providers).listModels();
  }

  async providersFor(userId: string): Promise<ModelProvider[]> {
    const kept = this.kept.get(userId);
    if (kept && Date.now() - kept.at < PROVIDERS_KEEP_MS) return kept.providers;
    const providers = this.prisma.userAiSettings
      .findUnique({ where: { userId } })
      .then((row) => (row ? this.build(this.open(row)) : []));
    this.kept.set(userId, { at: Date.now(), providers });
    providers.catch(() => this.kept.delete(userId));
    return providers;
  }

  private async checkUrls(input: UpdateUserAiSettingsInput): Promise<void> {
    const fieldErrors: Record<string, string[]> = {};
    await Promise.all(
      URL_FIELDS.map(async (field) => {
        const value = input[field];
        if (!value) return;
        await checkProviderUrl(value, this.options.allowPrivateHosts, this.options.resolveHost).catch(
          (error: unknown) => {
            if (!(error instanceof ProviderUrlRefused)) throw error;
            fieldErrors[field] = [error.message];
          },
        );
      }),
    );
    const first = Object.values(fieldErrors)[0]?.[0];
    if (first) throw new DomainError('bad_request', 'validation', first, { fieldErrors });
  }

  private build(settings: OpenSettings): ModelProvider[] {
    const maxRetries = this.options.maxRetries ?? INTERACTIVE_MAX_RETRIES;
    const fetch = this.guardedFetch;
    const providers: ModelProvider[] = [];
    const openaiKey = settings.openaiApiKey;
    if (openaiKey !== UNREADABLE && (settings.openaiBaseUrl || openaiKey))
      providers.push(
        new OpenAICompatibleProvider({
          baseUrl: settings.openaiBaseUrl ?? OPENAI_DEFAULT_BASE_URL,
          apiKey: openaiKey ?? undefined,
          maxRetries,
          fetch,
        }),
      );
    if (settings.anthropicApiKey && settings.anthropicApiKey !== UNREADABLE)
      providers.push(new AnthropicProvider({ apiKey: settings.anthropicApiKey, maxRetries }));
    if (settings.ollamaUrl) providers.push(new OllamaProvider({ url: settings.ollamaUrl, maxRetries, fetch }));
    return providers;
  }

  private open(row: StoredSettings): OpenSettings {
    const open = (sealed: string | null) => {
      if (sealed === null) return null;
      try {
        return this.box.open(sealed);
      } catch {
        return UNREADABLE;
      }
    };
    return {
      openaiBaseUrl: row.openaiBaseUrl,
      openaiApiKey: open(row.openaiApiKey),
      anthropicApiKey: open(row.anthropicApiKey),
      ollamaUrl: row.ollamaUrl,
    };
  }

  private toDto(row: StoredSettings, updatedAt: Date | null): UserAiSettingsDto {
    const opened = this.open(row);
    const key = (value: string | null | typeof UNREADABLE): AiKeySettingDto =>
      value === null
        ? { set: false, masked: null }
        : value === UNREADABLE
          ? { set: true, masked: null, unreadable: true }
          : { set: true, masked: maskKey(value) };
    return {
      openaiBaseUrl: row.openaiBaseUrl,
      openaiApiKey: key(opened.openaiApiKey),
      anthropicApiKey: key(opened.anthropicApiKey),
      ollamaUrl: row.ollamaUrl,
      updatedAt: updatedAt?.toISOString() ?? null,
    };
  }
}

/** The form's value when given (null = cleared), else the saved one. */
function pick<T>(given: string | null | undefined, saved: T): string | null | T {
  return given === undefined ? saved : given;
}
