// The assistant's models on the wire (issue 11): which models the server can reach, and a user's
// own providers (keys stay on the server). Part of the assistant's contracts (assistant.ts).
import { z } from 'zod';

// ── Models ───────────────────────────────────────────────────────────────────────────────────
// The models the server can reach (keys stay on the server). REST: GET /api/v1/ai/models.

export const AI_PROVIDER_IDS = ['openai', 'anthropic', 'ollama'] as const;
/** openai = any OpenAI-compatible endpoint (OpenAI, OpenRouter, vLLM, llama-server, LM Studio, Ollama's /v1). */
export type AiProviderId = (typeof AI_PROVIDER_IDS)[number];

/** A model id on the wire is `<provider>:<the provider's model name>`, e.g. `ollama:qwen2.5-coder:7b`. */
export const aiModelIdSchema = z
  .string()
  .trim()
  .regex(/^(openai|anthropic|ollama):.+$/, 'A model id is <provider>:<model>, provider openai, anthropic or ollama');

export interface AiModelDto {
  /** `<provider>:<model>`, what a message's `model` field takes. */
  id: string;
  provider: AiProviderId;
  label: string;
  /** Whether the model takes tool (function) calls; without them the assistant uses a text protocol. */
  tools: boolean;
}

export interface AiModelListDto {
  models: AiModelDto[];
  /** Present when no provider is configured: exactly which settings to set. */
  setup?: string;
  /** Providers that are configured but did not answer, with why. */
  unreachable?: { provider: AiProviderId; message: string }[];
  /** With no provider configured: model servers found on the server's localhost (Ollama, LM Studio). */
  detected?: AiDetectedProviderDto[];
}

/** A model server Berth found on its own localhost, to offer as "Use Ollama on localhost". */
export interface AiDetectedProviderDto {
  provider: AiProviderId;
  /** What to put in the settings: AI_OLLAMA_URL / ollamaUrl, or AI_OPENAI_BASE_URL / openaiBaseUrl. */
  baseUrl: string;
  /** Its own model names. */
  models: string[];
  /** Which program answered ("Ollama", "LM Studio"). */
  label: string;
}

// ── A user's own model providers ─────────────────────────────────────────────────────────────
// Besides the admin's AI_* settings each user may add their own (their key for a provider wins for
// them). REST: GET /api/v1/me/ai-settings, PUT /api/v1/me/ai-settings (a field omitted stays, null
// clears it), POST /api/v1/me/ai-settings/test (the same body, not saved: the models it would give).
// Keys are stored sealed and never sent back: only whether one is set and its last four characters.

export interface AiKeySettingDto {
  set: boolean;
  /** e.g. "sk-…abcd"; null when not set (or too short to show any of it). */
  masked: string | null;
  /** Saved under another AUTH_SECRET, so it cannot be used: enter it again. */
  unreadable?: boolean;
}

export interface UserAiSettingsDto {
  openaiBaseUrl: string | null;
  openaiApiKey: AiKeySettingDto;
  anthropicApiKey: AiKeySettingDto;
  ollamaUrl: string | null;
  updatedAt: string | null;
}

const providerUrlSchema = (example: string) =>
  z
    .string({ error: `An http(s) URL such as ${example}` })
    .trim()
    .max(500, 'At most 500 characters')
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, `An http(s) URL such as ${example}`)
    .refine((value) => {
      try {
        const url = new URL(value);
        return !url.username && !url.password;
      } catch {
        return true;
      }
    }, 'No user name or password in the URL: put the key in its own field');

const providerKeySchema = z
  .string({ error: 'A key is text' })
  .trim()
  .min(1, 'Enter a key, or clear it')
  .max(500, 'At most 500 characters')
  .regex(/^[\x21-\x7e]+$/, 'A key is printable ASCII without spaces');

export const updateUserAiSettingsSchema = z.strictObject({
  openaiBaseUrl: providerUrlSchema('https://openrouter.ai/api/v1').nullable().optional(),
  openaiApiKey: providerKeySchema.nullable().optional(),
  anthropicApiKey: providerKeySchema.nullable().optional(),
  ollamaUrl: providerUrlSchema('http://localhost:11434').nullable().optional(),
});
export type UpdateUserAiSettingsInput = z.infer<typeof updateUserAiSettingsSchema>;
