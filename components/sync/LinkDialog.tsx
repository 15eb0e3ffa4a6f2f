'use client';
// Link a project to a project on a remote Berth — one there already, or "Create it there" in the
// same step — and choose automatic sync (after saves, and every N minutes). Opened from the
// workbench's status bar and the dashboard row. Enter links, Escape closes.
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import type { LinkDto, RemoteDto } from '@/server/contracts';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { deleteLink, errorText, listRemoteProjects, listRemotes, putLink, type RemoteProjectDto } from './sync-api';
import { submitOnEnter } from './submit-on-enter';

const CREATE = '__create__';
const field =
  'rounded-md border border-edge bg-surface px-3 py-2 text-sm text-gray-100 focus:border-accent focus:outline-none';

export function LinkDialog({
  projectId,
  projectName,
  link,
  open,
  onClose,
  onLinked,
}: {
  projectId: string;
  projectName: string;
  /** The current link (changing it keeps the choices), or null. */
  link: LinkDto | null;
  open: boolean;
  onClose(): void;
  onLinked(link: LinkDto | null): void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={link ? `Sync settings · ${projectName}` : `Link ${projectName}`}
      testId="link-dialog"
    >
      {open ? <LinkForm projectId={projectId} link={link} onClose={onClose} onLinked={onLinked} /> : null}
    </Dialog>
  );
}

function LinkForm({
  projectId,
  link,
  onClose,
  onLinked,
}: {
  projectId: string;
  link: LinkDto | null;
  onClose(): void;
  onLinked(link: LinkDto | null): void;
}) {
  const [remotes, setRemotes] = useState<RemoteDto[] | null>(null);
  const [remoteId, setRemoteId] = useState(link?.remoteId ?? '');
  const [projects, setProjects] = useState<RemoteProjectDto[] | null>(null);
  const [projectsError, setProjectsError] = useState<string | null>(null);
  const [target, setTarget] = useState(link?.remoteProjectId ?? CREATE);
  const [autoSync, setAutoSync] = useState(link?.autoSync ?? false);
  const [interval, setIntervalMinutes] = useState(String(link?.intervalMinutes ?? 15));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listRemotes().then(
      (list) => {
        setRemotes(list);
        setRemoteId((current) => current || list[0]?.id || '');
      },
      (caught: unknown) => setError(errorText(caught)),
    );
  }, []);

  // The remote's projects, to pick one (its own answer, through this Berth).
  useEffect(() => {
    if (!remoteId) return;
    let live = true;
    setProjects(null);
    setProjectsError(null);
    listRemoteProjects(remoteId).then(
      (list) => live && setProjects(list),
      (caught: unknown) => live && setProjectsError(errorText(caught)),
    );
    return () => {
      live = false;
    };
  }, [remoteId]);

  const minutes = Number(interval);
  const intervalValid = Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!remoteId || !intervalValid) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await putLink(projectId, {
        remoteId,
        remoteProjectId: target === CREATE ? null : target,
        autoSync,
        intervalMinutes: autoSync ? minutes : 0,
      });
      onLinked(saved);
      onClose();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  async function unlink() {
    setBusy(true);
    setError(null);
    try {
      await deleteLink(projectId);
      onLinked(null);
      onClose();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  if (remotes?.length === 0) {
    return (
      <div className="flex flex-col gap-4 text-sm" data-testid="link-no-remotes">
        <p className="text-gray-300">Add a remote Berth first: its URL and an access token made there.</p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Link href="/settings/remotes" className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white">
            Add a remote
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form
      onSubmit={(event) => void onSubmit(event)}
      onKeyDown={submitOnEnter}
      className="flex flex-col gap-4 text-sm"
      data-testid="link-form"
    >
      <label className="flex flex-col gap-1">
        <span className="text-gray-300">Remote</span>
        <select
          className={field}
          value={remoteId}
          onChange={(event) => {
            setRemoteId(event.target.value);
            setTarget(CREATE);
          }}
          disabled={remotes === null}
          data-testid="link-remote"
          autoFocus
        >
          {remotes === null ? <option value="">Loading…</option> : null}
          {remotes?.map((remote) => (
            <option key={remote.id} value={remote.id}>
              {remote.name} ({remote.url})
            </option>
          ))}
        </select>
      </label>

      <label className="flex flex-col gap-1">
        <span className="text-gray-300">Project there</span>
        <select
          className={field}
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          data-testid="link-project"
          data-status={projects ? 'ready' : projectsError ? 'error' : 'loading'}
        >
          <option value={CREATE}>+ Create it there (same name)</option>
          {projects?.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </select>
        {projects === null && !projectsError && remoteId ? (
          <span className="text-xs text-muted">Reading the remote&apos;s projects…</span>
        ) : null}
        {projectsError ? (
          <span className="text-xs text-danger" data-testid="link-projects-error">
            Could not list its projects: {projectsError}
          </span>
        ) : null}
      </label>

      <fieldset className="flex flex-col gap-2 rounded-md border border-edge p-3">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={autoSync}
            onChange={(event) => setAutoSync(event.target.checked)}
            data-testid="link-auto-sync"
          />
          <span>Sync automatically (both ways, after saves)</span>
        </label>
        <label className={`flex items-center gap-2 ${autoSync ? '' : 'opacity-50'}`}>
          <span>and every</span>
          <input
            type="number"
            min={0}
            max={1440}
            step={1}
            value={interval}
            disabled={!autoSync}
            onChange={(event) => setIntervalMinutes(event.target.value)}
            className={`${field} w-20 py-1`}
            aria-invalid={!intervalValid}
            data-testid="link-interval"
          />
          <span>minutes (0: only after saves)</span>
        </label>
      </fieldset>

      {error ? (
        <p role="alert" className="text-danger" data-testid="link-error">
          {error}
        </p>
      ) : null}

      <div className="flex items-center gap-2">
        {link ? (
          <Button
            type="button"
            variant="ghost-danger"
            onClick={() => void unlink()}
            disabled={busy}
            data-testid="link-unlink"
          >
            Unlink
          </Button>
        ) : null}
        <span className="flex-1" />
        <Button type="button" variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={busy || !remoteId || !intervalValid} data-testid="link-submit">
          {busy ? (target === CREATE ? 'Creating…' : 'Linking…') : link ? 'Save' : 'Link'}
        </Button>
      </div>
    </form>
  );
}
