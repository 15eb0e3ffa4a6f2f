'use client';
// /settings/ai: the user's own model providers for the assistant (issue 11). Keys are write-only:
// the page shows whether one is saved and its last characters, never the key. Test lists what the
// form's settings would give (nothing is saved); Save stores them; Clear drops one saved field.
import { useEffect, useState, type FormEvent } from 'react';
import type { AiDetectedProviderDto, AiModelListDto, UserAiSettingsDto } from '@/server/contracts';
import { api, ApiError, firstFieldError } from '../api-client';
import { AppHeader } from '../AppHeader';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import { keySaved, ProviderSection, SavedValue } from './AiProviderSection';
import { TestResultView, type TestResult } from './AiTestResult';
import { changesFrom, draftFrom, type AiSettingsDraft, type AiSettingsField } from './ai-settings-form';
import { DetectedProviders } from './DetectedProviders';

export function AiSettingsPanel() {
  const [saved, setSaved] = useState<UserAiSettingsDto | null>(null);
  const [draft, setDraft] = useState<AiSettingsDraft>(draftFrom(null));
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [tested, setTested] = useState<TestResult | null>(null);
  const [detected, setDetected] = useState<AiDetectedProviderDto[]>([]);

  useEffect(() => {
    api<UserAiSettingsDto>('/me/ai-settings').then((settings) => {
      setSaved(settings);
      setDraft(draftFrom(settings));
    }, setError);
    api<AiModelListDto>('/ai/models').then(
      (list) => setDetected(list.detected ?? []),
      () => undefined,
    );
  }, []);

  const edit = (field: AiSettingsField) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setDraft((current) => ({ ...current, [field]: value }));
    setNotice(null);
  };

  function afterSave(settings: UserAiSettingsDto, message: string) {
    setSaved(settings);
    setDraft(draftFrom(settings));
    setError(null);
    setNotice(message);
  }

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const changes = changesFrom(saved, draft);
    if (Object.keys(changes).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    setBusy('save');
    try {
      afterSave(await api<UserAiSettingsDto>('/me/ai-settings', { method: 'PUT', body: changes }), 'Saved.');
    } catch (caught) {
      setError(caught);
      setNotice(null);
    } finally {
      setBusy(null);
    }
  }

  async function clear(field: AiSettingsField) {
    try {
      afterSave(
        await api<UserAiSettingsDto>('/me/ai-settings', { method: 'PUT', body: { [field]: null } }),
        'Cleared.',
      );
    } catch (caught) {
      setError(caught);
    }
  }

  async function onTest() {
    setBusy('test');
    setTested(null);
    setError(null);
    try {
      const models = await api<AiModelListDto>('/me/ai-settings/test', {
        method: 'POST',
        body: changesFrom(saved, draft),
      });
      setTested({ models });
    } catch (caught) {
      // A refused field is shown on the field itself, not twice.
      if (caught instanceof ApiError && caught.body.fieldErrors) setError(caught);
      else setTested({ error: caught instanceof Error ? caught.message : String(caught) });
    } finally {
      setBusy(null);
    }
  }

  const fieldError = (field: AiSettingsField) => firstFieldError(error, field);
  // An offer already saved is not offered again.
  const offers = detected.filter(
    (found) => (found.provider === 'ollama' ? saved?.ollamaUrl : saved?.openaiBaseUrl) !== found.baseUrl,
  );
  const formError = error instanceof ApiError && !error.body.fieldErrors ? error.message : null;

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-8" data-testid="ai-settings-page">
        <h1 className="text-xl font-semibold">AI models</h1>
        <p className="mt-1 text-sm text-muted">
          Your own model providers for the assistant. They are used besides the ones this server’s admin set up; for the
          same provider yours win. Keys are stored encrypted and are never shown again.
        </p>

        <DetectedProviders
          offers={offers}
          onUse={(found) =>
            setDraft((current) => ({
              ...current,
              [found.provider === 'ollama' ? 'ollamaUrl' : 'openaiBaseUrl']: found.baseUrl,
            }))
          }
        />

        <form onSubmit={onSave} className="mt-6 flex flex-col gap-4" data-testid="ai-settings-form" noValidate>
          <ProviderSection
            title="OpenAI-compatible"
            subtitle="OpenAI, OpenRouter, vLLM, llama.cpp, LM Studio, Ollama’s /v1 … A key without a URL means OpenAI."
          >
            <TextField
              label="Base URL"
              name="openaiBaseUrl"
              value={draft.openaiBaseUrl}
              onChange={edit('openaiBaseUrl')}
              placeholder="https://api.openai.com/v1"
              autoComplete="off"
              spellCheck={false}
              error={fieldError('openaiBaseUrl')}
            />
            <TextField
              label="API key"
              name="openaiApiKey"
              type="password"
              value={draft.openaiApiKey}
              onChange={edit('openaiApiKey')}
              placeholder={saved?.openaiApiKey.set ? 'Leave empty to keep the saved key' : 'sk-…'}
              autoComplete="off"
              error={fieldError('openaiApiKey')}
            />
            {saved?.openaiApiKey.set ? (
              <SavedValue testId="saved-openaiApiKey" onClear={() => void clear('openaiApiKey')}>
                {keySaved(saved.openaiApiKey)}
              </SavedValue>
            ) : null}
            {saved?.openaiBaseUrl ? (
              <SavedValue testId="saved-openaiBaseUrl" onClear={() => void clear('openaiBaseUrl')}>
                Saved URL: <code className="rounded bg-panel-2 px-1">{saved.openaiBaseUrl}</code>
              </SavedValue>
            ) : null}
          </ProviderSection>

          <ProviderSection title="Anthropic" subtitle="Claude models, with your Anthropic API key.">
            <TextField
              label="API key"
              name="anthropicApiKey"
              type="password"
              value={draft.anthropicApiKey}
              onChange={edit('anthropicApiKey')}
              placeholder={saved?.anthropicApiKey.set ? 'Leave empty to keep the saved key' : 'sk-ant-…'}
              autoComplete="off"
              error={fieldError('anthropicApiKey')}
            />
            {saved?.anthropicApiKey.set ? (
              <SavedValue testId="saved-anthropicApiKey" onClear={() => void clear('anthropicApiKey')}>
                {keySaved(saved.anthropicApiKey)}
              </SavedValue>
            ) : null}
          </ProviderSection>

          <ProviderSection title="Ollama" subtitle="Ollama’s own address (no /api, no /v1).">
            <TextField
              label="URL"
              name="ollamaUrl"
              value={draft.ollamaUrl}
              onChange={edit('ollamaUrl')}
              placeholder="http://localhost:11434"
              autoComplete="off"
              spellCheck={false}
              error={fieldError('ollamaUrl')}
            />
            {saved?.ollamaUrl ? (
              <SavedValue testId="saved-ollamaUrl" onClear={() => void clear('ollamaUrl')}>
                Saved URL: <code className="rounded bg-panel-2 px-1">{saved.ollamaUrl}</code>
              </SavedValue>
            ) : null}
          </ProviderSection>

          <div className="flex items-center gap-2">
            <Button type="submit" disabled={busy !== null || saved === null} data-testid="ai-settings-save">
              {busy === 'save' ? 'Saving…' : 'Save'}
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={busy !== null || saved === null}
              onClick={() => void onTest()}
              data-testid="ai-settings-test"
            >
              {busy === 'test' ? 'Testing…' : 'Test'}
            </Button>
            <span className="text-sm text-muted" role="status" data-testid="ai-settings-status">
              {notice ?? ''}
            </span>
          </div>
          {formError ? (
            <p className="text-sm text-danger" role="alert">
              {formError}
            </p>
          ) : null}
        </form>

        {tested ? <TestResultView result={tested} /> : null}
      </main>
    </div>
  );
}
