import { describe, expect, it } from 'vitest';
import type { UserAiSettingsDto } from '@/server/contracts';
import { changesFrom, draftFrom } from './ai-settings-form';

const saved: UserAiSettingsDto = {
  openaiBaseUrl: 'https://openrouter.ai/api/v1',
  openaiApiKey: { set: true, masked: 'sk-…abcd' },
  anthropicApiKey: { set: false, masked: null },
  ollamaUrl: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the AI settings form', () => {
  it('starts from the saved URLs and empty key fields', () => {
    expect(draftFrom(saved)).toEqual({
      openaiBaseUrl: 'https://openrouter.ai/api/v1',
      openaiApiKey: '',
      anthropicApiKey: '',
      ollamaUrl: '',
    });
    expect(draftFrom(null).openaiBaseUrl).toBe('');
  });

  it('sends nothing when nothing changed', () => {
    expect(changesFrom(saved, draftFrom(saved))).toEqual({});
  });

  it('sends a changed URL, null for an emptied one, and typed keys only', () => {
    const draft = { ...draftFrom(saved), ollamaUrl: ' http://gpu.lab:11434 ', anthropicApiKey: ' sk-ant-1 ' };
    expect(changesFrom(saved, draft)).toEqual({ ollamaUrl: 'http://gpu.lab:11434', anthropicApiKey: 'sk-ant-1' });
    expect(changesFrom(saved, { ...draftFrom(saved), openaiBaseUrl: '  ' })).toEqual({ openaiBaseUrl: null });
  });
});
