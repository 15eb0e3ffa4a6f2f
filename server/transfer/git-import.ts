// A new project from a git URL: the URL is checked (git-url-policy), the project starts from an
// empty first snapshot, and `git clone` runs inside its own workspace container — as the
// workspace user, with the checked address pinned, no redirects, https (or a listed host's
// http) as the only protocol, no prompts, a time limit. The clone becomes the project's first
// real snapshot. Any failure deletes the project again: nothing is left half made.
import type { ProjectDto, TemplateId } from '../contracts';
import { DomainError } from '../core/errors';
import type { ExecOptions, ExecSession } from '../runtime';
import { checkGitUrl } from './git-url-policy';
import type { SnapshotService, SnapshotStore } from '../snapshots';

export interface GitImportProjects {
  create(userId: string, input: { name: string; template: TemplateId }): Promise<ProjectDto>;
  delete(userId: string, projectId: string): Promise<void>;
}

export interface GitImportWorkspaces {
  ensureRunning(projectId: string): Promise<unknown>;
}

export interface ExecRunner {
  exec(projectId: string, command: string[], options: ExecOptions): Promise<ExecSession>;
}

export interface GitImportOptions {
  allowPrivateHosts: readonly string[];
  timeoutMs?: number;
}

const CLONE_DIR = '/workspace/.berth-clone';
/** Moves the clone (dotfiles included) into /workspace: same volume, so each move is a rename. */
const MOVE_IN = `set -e; cd ${CLONE_DIR}; for entry in * .[!.]* ..?*; do [ -e "$entry" ] || [ -L "$entry" ] || continue; mv -- "$entry" /workspace/; done; cd /; rmdir ${CLONE_DIR}`;

export class GitImport {
  constructor(
    private readonly projects: GitImportProjects,
    private readonly workspaces: GitImportWorkspaces,
    private readonly runtime: ExecRunner,
    private readonly service: SnapshotService,
    private readonly store: SnapshotStore,
    private readonly options: GitImportOptions,
  ) {}

  async import(userId: string, gitUrl: string, name?: string): Promise<ProjectDto> {
    const checked = await checkGitUrl(gitUrl, this.options.allowPrivateHosts);
    const project = await this.projects.create(userId, { name: name ?? repoName(checked.url), template: 'blank-node' });
    try {
      // An empty first snapshot: the new volume starts empty instead of with a template.
      await this.store.create({
        projectId: project.id,
        reason: 'import',
        files: [],
        skipped: [],
        newBytes: 0,
        changedFiles: 0,
      });
      await this.workspaces.ensureRunning(project.id);
      const clone = [
        'git',
        '-c',
        `http.curloptResolve=${checked.host}:${checked.port}:${checked.address}`,
        '-c',
        'http.followRedirects=false',
        '-c',
        'protocol.allow=never',
        '-c',
        `protocol.${checked.url.startsWith('https:') ? 'https' : 'http'}.allow=always`,
        'clone',
        '--quiet',
        '--no-recurse-submodules',
        '--',
        checked.url,
        CLONE_DIR,
      ];
      const cloned = await this.run(project.id, clone);
      if (cloned.code !== 0)
        throw new DomainError('bad_request', 'git_clone_failed', `git clone failed: ${lastLines(cloned.output)}`);
      const moved = await this.run(project.id, ['sh', '-c', MOVE_IN]);
      if (moved.code !== 0) throw new Error(`moving the clone into place failed: ${lastLines(moved.output)}`);
      await this.service.take(project.id, 'import', 'Imported from git');
      return project;
    } catch (error) {
      await this.projects.delete(userId, project.id).catch(() => undefined);
      throw error;
    }
  }

  private async run(projectId: string, command: string[]): Promise<{ code: number | null; output: string }> {
    const session = await this.runtime.exec(projectId, command, {
      tty: false,
      env: { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false' },
    });
    const chunks: Buffer[] = [];
    session.onData((chunk) => chunks.push(chunk));
    const timeoutMs = this.options.timeoutMs ?? 5 * 60_000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        session.close();
        resolve({ code: -1, output: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      session.onExit((code) => {
        clearTimeout(timer);
        resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }
}

function repoName(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'repository';
  return (last.replace(/\.git$/, '') || 'repository').slice(0, 64);
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' · ').slice(0, 500) || 'no output';
}
