// The /settings/ai form's state and what a Save or Test sends: a URL only when it differs from the
// saved one (emptied = null, which clears it), a key only when one was typed (keys are never sent
// back, so an empty key field means "keep the saved one").
import type { UpdateUserAiSettingsInput, UserAiSettingsDto } from '@/server/contracts';

export interface AiSettingsDraft {
  openaiBaseUrl: string;
  openaiApiKey: string;
  anthropicApiKey: string;
  ollamaUrl: string;
}

export const URL_FIELDS = ['openaiBaseUrl', 'ollamaUrl'] as const;
export const KEY_FIELDS = ['openaiApiKey', 'anthropicApiKey'] as const;
export type AiSettingsField = (typeof URL_FIELDS)[number] | (typeof KEY_FIELDS)[number];

export function draftFrom(saved: UserAiSettingsDto | null): AiSettingsDraft {
  return {
    openaiBaseUrl: saved?.openaiBaseUrl ?? '',
    openaiApiKey: '',
    anthropicApiKey: '',
    ollamaUrl: saved?.ollamaUrl ?? '',
  };
}

export function changesFrom(saved: UserAiSettingsDto | null, draft: AiSettingsDraft): UpdateUserAiSettingsInput {
  const changes: UpdateUserAiSettingsInput = {};
  for (const field of URL_FIELDS) {
    const value = draft[field].trim();
    if (value !== (saved?.[field] ?? '')) changes[field] = value === '' ? null : value;
  }
  for (const field of KEY_FIELDS) {
    const value = draft[field].trim();
    if (value !== '') changes[field] = value;
  }
  return changes;
}
