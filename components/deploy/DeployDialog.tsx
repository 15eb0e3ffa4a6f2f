'use client';
// The Deploy dialog (toolbar and dashboard): one environment at a time, picked at the top, with
// its Deploy / History / Variables / Logs / Settings tabs. A native <dialog>: focus trap and
// Escape for free.
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_ENVIRONMENT } from '@/server/contracts';
import { DeployHistory } from './DeployHistory';
import { DeployOverview } from './DeployOverview';
import { DeployTabs, DEPLOY_TABS, type DeployTab } from './DeployTabs';
import { EnvironmentPicker } from './EnvironmentPicker';
import { EnvironmentSettings } from './EnvironmentSettings';
import { RuntimeLogs } from './RuntimeLogs';
import { useDeployments } from './use-deployments';
import { useEnvironments } from './use-environments';
import { useMyId } from './use-me';
import { VariablesEditor } from './VariablesEditor';

export function DeployDialog({
  projectId,
  projectName,
  open,
  onClose,
}: {
  projectId: string;
  projectName: string;
  open: boolean;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      data-testid="deploy-dialog"
      aria-label={`Deploy ${projectName}`}
      // React passes a nested <dialog>'s close (the Stop/Delete confirmation) up the tree: only our own counts.
      onClose={(event) => event.target === event.currentTarget && onClose()}
      onCancel={(event) => event.target === event.currentTarget && onClose()}
      className="m-auto h-[min(46rem,92vh)] w-[min(60rem,96vw)] rounded-lg border border-edge bg-panel p-0 text-gray-100 shadow-2xl backdrop:bg-black/60"
    >
      {open ? <DeployBody projectId={projectId} projectName={projectName} onClose={onClose} /> : null}
    </dialog>
  );
}

function DeployBody({ projectId, projectName, onClose }: { projectId: string; projectName: string; onClose(): void }) {
  const environments = useEnvironments(projectId, true);
  const [envName, setEnvName] = useState(DEFAULT_ENVIRONMENT);
  const [tab, setTab] = useState<DeployTab>('deploy');
  const deployments = useDeployments(projectId, envName);
  const myId = useMyId();
  const env = environments.list?.find((item) => item.name === envName) ?? null;
  const { refresh: refreshEnvironments } = environments;
  const { refresh: refreshDeployments } = deployments;

  const onStarted = useCallback(() => {
    setTab('deploy');
    void refreshDeployments();
    void refreshEnvironments();
  }, [refreshDeployments, refreshEnvironments]);
  const onEnded = useCallback(() => {
    void refreshDeployments();
    void refreshEnvironments();
  }, [refreshDeployments, refreshEnvironments]);

  const latest = deployments.list?.[0] ?? null;
  const servingId = env?.current?.status === 'live' ? env.current.id : null;

  return (
    <div className="flex h-full flex-col" data-testid="deploy-body" data-environment={envName}>
      <header className="flex flex-wrap items-center gap-3 px-5 pb-3 pt-4">
        <h2 className="text-base font-semibold">
          Deploy <span className="text-muted">{projectName}</span>
        </h2>
        {environments.list ? (
          <EnvironmentPicker
            projectId={projectId}
            environments={environments.list}
            value={envName}
            onChange={setEnvName}
            onCreated={(created) => {
              environments.accept(created);
              setEnvName(created.name);
              setTab('deploy');
            }}
          />
        ) : null}
        <button
          type="button"
          onClick={onClose}
          aria-label="Close"
          data-testid="deploy-close"
          className="ml-auto rounded px-2 py-1 text-muted hover:bg-panel-2 hover:text-gray-100"
        >
          ✕
        </button>
      </header>
      <DeployTabs active={tab} onChange={setTab} />
      <div className="min-h-0 flex-1 overflow-auto px-5 py-4">
        {environments.loadError ? (
          <p role="alert" className="text-sm text-danger">
            {environments.loadError}
          </p>
        ) : null}
        {!env && !environments.loadError ? <p className="text-sm text-muted">Loading…</p> : null}
        {/* All tabs stay mounted (an unsaved Variables edit survives a look at History); only the
            runtime log follows its stream while shown. */}
        {env ? (
          <div key={env.name}>
            {DEPLOY_TABS.map((item) => (
              <div
                key={item.id}
                id={`deploy-panel-${item.id}`}
                role="tabpanel"
                aria-labelledby={`deploy-tab-${item.id}`}
                className={item.id === tab ? '' : 'hidden'}
              >
                {item.id === 'deploy' ? (
                  <DeployOverview
                    projectId={projectId}
                    env={env}
                    latest={latest}
                    onStarted={onStarted}
                    onEnded={onEnded}
                  />
                ) : null}
                {item.id === 'history' ? (
                  <DeployHistory
                    projectId={projectId}
                    env={env.name}
                    deployments={deployments}
                    servingId={servingId}
                    userId={myId}
                    onStarted={onStarted}
                  />
                ) : null}
                {item.id === 'variables' ? <VariablesEditor projectId={projectId} env={env.name} /> : null}
                {item.id === 'logs' ? <RuntimeLogs projectId={projectId} env={env} active={tab === 'logs'} /> : null}
                {item.id === 'settings' ? (
                  <EnvironmentSettings
                    projectId={projectId}
                    env={env}
                    onChanged={(changed) => (changed ? environments.accept(changed) : void refreshEnvironments())}
                    onDeleted={() => {
                      setEnvName(DEFAULT_ENVIRONMENT);
                      setTab('deploy');
                      void refreshEnvironments();
                    }}
                  />
                ) : null}
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
