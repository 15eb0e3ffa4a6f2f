'use client';
// queued → building → starting → live, with the step a failed deployment stopped at marked red.
import type { DeploymentStatus } from '@/server/contracts';

type Step = 'queued' | 'building' | 'starting' | 'live';
const BUILD_STEPS: Step[] = ['queued', 'building', 'starting', 'live'];
// A rollback runs a kept image: nothing is built.
const ROLLBACK_STEPS: Step[] = ['queued', 'starting', 'live'];
const LABEL: Record<Step, string> = { queued: 'Queued', building: 'Building', starting: 'Starting', live: 'Live' };

export function DeploySteps({
  status,
  reached,
  rollback,
}: {
  status: DeploymentStatus;
  /** The furthest step seen before a failure (a failed one stopped there). */
  reached: Step;
  rollback: boolean;
}) {
  const steps = rollback ? ROLLBACK_STEPS : BUILD_STEPS;
  const failed = status === 'failed';
  const at = status === 'live' || status === 'superseded' || status === 'stopped' ? 'live' : reached;
  const index = steps.indexOf(at);
  return (
    <ol className="flex items-center gap-1 text-xs" data-testid="deploy-steps" data-status={status}>
      {steps.map((step, i) => {
        const done = i < index || (i === index && step === 'live' && !failed);
        const current = i === index && !done;
        const tone =
          current && failed
            ? 'border-danger text-danger'
            : done
              ? 'border-emerald-500 text-emerald-400'
              : current
                ? 'border-accent text-gray-100'
                : 'border-edge text-muted';
        return (
          <li
            key={step}
            className="flex items-center gap-1"
            data-step={step}
            data-state={done ? 'done' : current ? (failed ? 'failed' : 'active') : 'todo'}
          >
            {i > 0 ? <span aria-hidden className="h-px w-5 bg-edge" /> : null}
            <span className={`flex items-center gap-1 rounded-full border px-2 py-0.5 ${tone}`}>
              <span aria-hidden>{done ? '✓' : current && failed ? '✕' : current ? '●' : '○'}</span>
              {current && failed ? `${LABEL[step]} failed` : LABEL[step]}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** The step a status stands on (for remembering how far a deployment got). */
export function stepOf(status: DeploymentStatus): Step | null {
  switch (status) {
    case 'queued':
    case 'building':
    case 'starting':
    case 'live':
      return status;
    case 'superseded':
    case 'stopped':
      return 'live';
    case 'failed':
      return null;
  }
}

export type { Step as DeployStep };
