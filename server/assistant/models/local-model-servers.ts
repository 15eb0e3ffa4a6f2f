// With no provider configured, Berth looks for model servers on its own localhost, so the panel
// can offer "Use Ollama on localhost" instead of only a list of settings: Ollama's tags on
// :11434 and LM Studio's OpenAI-compatible /v1/models on :1234. A short timeout each, both at
// once, and the answer kept briefly so opening panels does not probe again and again.
import type { AiDetectedProviderDto } from '../../contracts';
import { LOCAL_LM_STUDIO_URL, LOCAL_OLLAMA_URL } from './provider-url-policy';
import { OllamaProvider } from './ollama-provider';
import { OpenAICompatibleProvider } from './openai-compatible-provider';

const PROBE_TIMEOUT_MS = 800;
const KEEP_MS = 15_000;

export interface LocalModelServerTarget {
  provider: 'ollama' | 'openai';
  label: string;
  baseUrl: string;
}

export const LOCAL_MODEL_SERVERS: readonly LocalModelServerTarget[] = [
  { provider: 'ollama', label: 'Ollama', baseUrl: LOCAL_OLLAMA_URL },
  { provider: 'openai', label: 'LM Studio', baseUrl: LOCAL_LM_STUDIO_URL },
];

export type DetectLocalModelServers = () => Promise<AiDetectedProviderDto[]>;

export function localModelServerDetector(
  targets: readonly LocalModelServerTarget[] = LOCAL_MODEL_SERVERS,
): DetectLocalModelServers {
  let kept: { at: number; answer: Promise<AiDetectedProviderDto[]> } | undefined;
  return () => {
    if (!kept || Date.now() - kept.at > KEEP_MS) kept = { at: Date.now(), answer: probeAll(targets) };
    return kept.answer;
  };
}

async function probeAll(targets: readonly LocalModelServerTarget[]): Promise<AiDetectedProviderDto[]> {
  const found = await Promise.all(targets.map((target) => probe(target)));
  return found.filter((entry): entry is AiDetectedProviderDto => entry !== null);
}

async function probe(target: LocalModelServerTarget): Promise<AiDetectedProviderDto | null> {
  const provider =
    target.provider === 'ollama'
      ? new OllamaProvider({ url: target.baseUrl, maxRetries: 0 })
      : new OpenAICompatibleProvider({ baseUrl: target.baseUrl, maxRetries: 0 });
  try {
    const models = await provider.listModels(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return {
      provider: target.provider,
      label: target.label,
      baseUrl: target.baseUrl,
      models: models.map((m) => m.label),
    };
  } catch {
    return null; // nothing there (or not a model server): nothing to offer
  }
}
