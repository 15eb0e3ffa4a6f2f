// What Test on /settings/ai found: the models the form's settings would give (with the providers
// that did not answer), or why the test failed.
import type { AiModelListDto } from '@/server/contracts';

export type TestResult = { models: AiModelListDto } | { error: string };

export function TestResultView({ result }: { result: TestResult }) {
  if ('error' in result)
    return (
      <div className="mt-4 rounded-md border border-danger/50 bg-danger/10 p-4 text-sm" data-testid="ai-test-result">
        {result.error}
      </div>
    );
  const { models, unreachable = [] } = result.models;
  return (
    <div className="mt-4 rounded-lg border border-edge bg-panel p-4 text-sm" data-testid="ai-test-result">
      <p className="font-medium">
        {models.length === 0
          ? 'No models found.'
          : `${models.length === 1 ? '1 model' : `${models.length} models`} found`}
      </p>
      {models.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-1.5">
          {models.map((model) => (
            <li key={model.id} className="rounded bg-panel-2 px-2 py-0.5 font-mono text-xs" title={model.id}>
              {model.id}
              {model.tools ? '' : ' (no tools)'}
            </li>
          ))}
        </ul>
      ) : null}
      {unreachable.map((entry) => (
        <p key={entry.provider} className="mt-2 text-danger">
          {entry.provider}: {entry.message}
        </p>
      ))}
    </div>
  );
}
