// Providers found running on this server (a local Ollama, an OpenAI-compatible server) that are
// not saved yet, each with a button that puts its URL in the form.
import type { AiDetectedProviderDto } from '@/server/contracts';
import { Button } from '../ui/Button';

export function DetectedProviders({
  offers,
  onUse,
}: {
  offers: AiDetectedProviderDto[];
  onUse: (found: AiDetectedProviderDto) => void;
}) {
  if (offers.length === 0) return null;
  return (
    <div className="mt-6 rounded-lg border border-accent/50 bg-accent/10 p-4 text-sm" data-testid="ai-detected">
      <p className="font-medium">Found on this server</p>
      <ul className="mt-2 flex flex-col gap-2">
        {offers.map((found) => (
          <li key={found.baseUrl} className="flex items-center gap-3">
            <span className="min-w-0 flex-1">
              {found.label} at <code className="rounded bg-panel-2 px-1">{found.baseUrl}</code> ·{' '}
              {found.models.length === 1 ? '1 model' : `${found.models.length} models`}
            </span>
            <Button type="button" variant="secondary" onClick={() => onUse(found)}>
              Use {found.label}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
