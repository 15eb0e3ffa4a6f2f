// Page object for the Source Control panel (components/ide/git), plus setup-only git calls
// through the REST API (what another tab or a script would do).
import { expect, type APIRequestContext, type Locator } from '@playwright/test';
import type { GitStatusDto } from '../../server/contracts';
import { sameOrigin } from './api';
import { PageObject } from './pages';

export class GitPanel extends PageObject {
  readonly panel = this.page.getByTestId('git-panel');
  readonly tab = this.page.getByTestId('sidebar-tab-git');
  readonly message = this.panel.getByTestId('git-message');
  readonly error = this.panel.getByTestId('git-error');
  readonly notice = this.panel.getByTestId('git-notice');
  readonly branch = this.panel.getByTestId('git-branch');
  readonly commits = this.panel.getByTestId('git-log-commit');
  readonly diffView = this.page.getByTestId('git-diff-view');
  /** The two sides of the open diff, as Monaco renders them. */
  readonly diffOriginal = this.diffView.locator('.monaco-diff-editor .editor.original .view-lines');
  readonly diffModified = this.diffView.locator('.monaco-diff-editor .editor.modified .view-lines');

  /** Ctrl+Shift+G, as a person would; the panel shows and the commit box (if any) takes focus. */
  async open(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+G');
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
    await expect(this.panel).toBeVisible();
  }

  group(id: 'staged' | 'changes' | 'untracked' | 'conflicts'): Locator {
    return this.panel.getByTestId(`git-group-${id}`);
  }

  file(group: 'staged' | 'changes' | 'untracked' | 'conflicts', path: string): Locator {
    return this.group(group).locator(`[data-testid="git-file"][data-path="${path}"]`);
  }

  /** A row's hover action (stage, unstage, discard). */
  async fileAction(
    group: 'staged' | 'changes' | 'untracked' | 'conflicts',
    path: string,
    action: 'git-stage' | 'git-unstage' | 'git-discard',
  ): Promise<void> {
    const row = this.file(group, path);
    await row.hover();
    await row.getByTestId(action).click();
  }

  async groupAction(group: 'staged' | 'changes' | 'untracked' | 'conflicts', action: string): Promise<void> {
    await this.group(group).getByTestId('git-group-header').hover();
    await this.group(group).getByTestId(`${action}-${group}`).click();
  }

  /** Types the message and commits with Ctrl+Enter. */
  async commitWithKeys(message: string): Promise<void> {
    await this.message.fill(message);
    await this.message.press('Control+Enter');
    await expect(this.notice).toContainText(`Committed`);
    await expect(this.message).toHaveValue('');
  }

  readonly remotes = this.panel.getByTestId('git-remote');
  readonly remoteForm = this.panel.getByTestId('git-remote-form');

  remote(name: string): Locator {
    return this.panel.locator(`[data-testid="git-remote"][data-name="${name}"]`);
  }

  /** +, then the name (origin is offered when there is none) and the URL, then Add remote. */
  async addRemote(name: string, url: string): Promise<void> {
    await this.panel.getByTestId('git-remote-add').click();
    await expect(this.remoteForm).toBeVisible();
    await this.remoteForm.getByTestId('git-remote-name').fill(name);
    await this.remoteForm.getByTestId('git-remote-url-input').fill(url);
    await this.remoteForm.getByTestId('git-remote-save').click();
  }

  async openBranchMenu(): Promise<Locator> {
    await this.branch.click();
    const menu = this.panel.getByTestId('git-branch-menu');
    await expect(menu).toBeVisible();
    return menu;
  }

  async switchTo(name: string): Promise<void> {
    const menu = await this.openBranchMenu();
    await menu.locator(`[data-testid="git-branch-item"][data-name="${name}"]`).getByTestId('git-branch-switch').click();
  }
}

/** Setup-only calls a script would make: write a file, stage everything, commit. */
export class GitApi {
  constructor(
    private readonly request: APIRequestContext,
    private readonly projectId: string,
  ) {}

  async write(path: string, text: string): Promise<void> {
    const response = await this.request.put(
      `/api/v1/projects/${this.projectId}/files/content?path=${encodeURIComponent(path)}`,
      { data: text, headers: sameOrigin },
    );
    expect(response.status()).toBeLessThan(300);
  }

  async status(): Promise<GitStatusDto> {
    const response = await this.request.get(`/api/v1/projects/${this.projectId}/git/status`);
    expect(response.status()).toBe(200);
    return (await response.json()) as GitStatusDto;
  }

  async commitAll(message: string): Promise<void> {
    const status = await this.status();
    const paths = [...status.changes.map((change) => change.path), ...status.untracked];
    const stage = await this.request.post(`/api/v1/projects/${this.projectId}/git/stage`, {
      data: { paths },
      headers: sameOrigin,
    });
    expect(stage.status()).toBe(200);
    const commit = await this.request.post(`/api/v1/projects/${this.projectId}/git/commit`, {
      data: { message },
      headers: sameOrigin,
    });
    expect(commit.status()).toBe(201);
  }
}

/** Settings → Git (/settings/git): the user's git tokens per host. */
export class GitSettingsPage extends PageObject {
  readonly root = this.page.getByTestId('git-settings-page');
  readonly form = this.page.getByTestId('git-credential-form');
  readonly host = this.form.locator('input[name="host"]');
  readonly username = this.form.locator('input[name="username"]');
  readonly token = this.form.locator('input[name="token"]');
  readonly status = this.page.getByTestId('git-settings-status');
  readonly rows = this.page.getByTestId('git-credential-row');

  row(host: string): Locator {
    return this.page.locator(`[data-testid="git-credential-row"][data-host="${host}"]`);
  }

  async goto(): Promise<void> {
    await this.page.goto('/settings/git');
    await expect(this.root).toBeVisible();
  }

  async save(token: string, username?: string): Promise<void> {
    if (username !== undefined) await this.username.fill(username);
    await this.token.fill(token);
    await this.form.getByTestId('git-credential-save').click();
  }
}
