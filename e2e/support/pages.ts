// Page objects: what a person sees and does on each of Berth's pages.
import { expect, type Locator, type Page } from '@playwright/test';
import type { TemplateLabel, TestUser } from './api';

/** Base for page objects: holds the page, so subclasses declare their locators as fields. */
export class PageObject {
  constructor(readonly page: Page) {}
}

export class SignInPage extends PageObject {
  readonly form = this.page.getByTestId('signin-form');
  readonly error = this.form.getByRole('alert');

  async goto(): Promise<void> {
    await this.page.goto('/signin');
    await expect(this.form).toBeVisible();
  }

  async fillAndSubmit(email: string, password: string): Promise<void> {
    await this.form.locator('input[name="email"]').fill(email);
    await this.form.locator('input[name="password"]').fill(password);
    await this.form.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async signIn(user: TestUser): Promise<DashboardPage> {
    await this.fillAndSubmit(user.email, user.password);
    const dashboard = new DashboardPage(this.page);
    await dashboard.expectLoaded();
    return dashboard;
  }
}

export class SignUpPage extends PageObject {
  readonly form = this.page.getByTestId('signup-form');

  async goto(): Promise<void> {
    await this.page.goto('/signup');
    await expect(this.form).toBeVisible();
  }

  async signUp(user: TestUser): Promise<DashboardPage> {
    await this.form.locator('input[name="name"]').fill(user.name);
    await this.form.locator('input[name="email"]').fill(user.email);
    await this.form.locator('input[name="password"]').fill(user.password);
    await this.form.getByRole('button', { name: 'Create account' }).click();
    const dashboard = new DashboardPage(this.page);
    await dashboard.expectLoaded();
    return dashboard;
  }
}

export class DashboardPage extends PageObject {
  readonly list = this.page.getByTestId('project-list');
  readonly rows = this.list.getByTestId('project-row');
  readonly newProjectButton = this.page.getByTestId('new-project');
  readonly newProjectDialog = this.page.getByTestId('new-project-dialog');
  readonly renameDialog = this.page.getByTestId('rename-project-dialog');
  readonly deleteDialog = this.page.getByTestId('delete-project-dialog');
  readonly signOutButton = this.page.getByTestId('sign-out');
  readonly currentUser = this.page.getByTestId('current-user');

  async goto(): Promise<void> {
    await this.page.goto('/');
    await this.expectLoaded();
  }

  /** On `/` with the project list fetched (not "loading", not "error"). */
  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.list).toHaveAttribute('data-status', 'ready');
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('project-name').getByText(name, { exact: true }) });
  }

  rowById(id: string): Locator {
    return this.list.locator(`[data-testid="project-row"][data-project-id="${id}"]`);
  }

  async openNewProjectDialog(): Promise<Locator> {
    await this.newProjectButton.click();
    await expect(this.newProjectDialog).toBeVisible();
    return this.newProjectDialog;
  }

  /** Creates a project through the dialog; it opens in the workbench. Returns its id (from the URL). */
  async createProject(name: string, template: TemplateLabel): Promise<string> {
    const dialog = await this.openNewProjectDialog();
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    // The radio itself is visually hidden: a person clicks the card that labels it.
    await dialog.getByText(template, { exact: true }).click();
    await expect(dialog.getByRole('radio', { name: template })).toBeChecked();
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await expect(this.page).toHaveURL(/\/p\/[^/?#]+$/);
    const id = decodeURIComponent(new URL(this.page.url()).pathname.split('/')[2] ?? '');
    await new WorkbenchPage(this.page).expectOpen(id);
    await expect(this.page.getByTestId('workbench-project-name')).toHaveText(name);
    return id;
  }

  async rename(from: string, to: string): Promise<void> {
    await this.row(from).getByTestId('rename-project').click();
    await expect(this.renameDialog).toBeVisible();
    const field = this.renameDialog.getByRole('textbox', { name: 'Name' });
    await expect(field).toHaveValue(from);
    await field.fill(to);
    await this.renameDialog.getByRole('button', { name: 'Rename' }).click();
    await expect(this.renameDialog).toBeHidden();
  }

  async startDelete(name: string): Promise<Locator> {
    await this.row(name).getByTestId('delete-project').click();
    await expect(this.deleteDialog).toBeVisible();
    await expect(this.deleteDialog).toContainText(name);
    return this.deleteDialog;
  }

  async signOut(): Promise<SignInPage> {
    await this.signOutButton.click();
    const signIn = new SignInPage(this.page);
    await expect(this.page).toHaveURL(/\/signin(\?|$)/);
    await expect(signIn.form).toBeVisible();
    return signIn;
  }
}

export class WorkbenchPage extends PageObject {
  readonly root = this.page.getByTestId('workbench');
  readonly projectName = this.page.getByTestId('workbench-project-name');
  readonly fileTree = this.page.getByTestId('file-tree-pane');
  readonly editor = this.page.getByTestId('editor-pane');
  readonly terminal = this.page.getByTestId('terminal-pane');
  readonly preview = this.page.getByTestId('preview-pane');
  readonly connection = this.page.getByTestId('connection-status');
  readonly workspaceStatus = this.page.getByTestId('workspace-status');
  readonly terminalTabs = this.page.getByTestId('terminal-tab');
  /** The visible terminal's screen (xterm renders its rows into the DOM). */
  readonly activeTerminalScreen = this.page.locator('[data-testid="terminal-view"]:not(.hidden) .xterm-rows');

  async goto(projectId: string): Promise<void> {
    const response = await this.page.goto(`/p/${projectId}`);
    expect(response?.status()).toBe(200);
    await this.expectOpen(projectId);
  }

  async expectOpen(projectId: string): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.root).toHaveAttribute('data-project-id', projectId);
  }

  async expectConnected(): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-status', 'connected');
  }

  async toggleTerminal(): Promise<void> {
    await this.page.keyboard.press('Control+Backquote');
  }

  async expectWorkspaceRunning(): Promise<void> {
    await expect(this.workspaceStatus).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  }

  /** Types into the visible terminal as a person would (click, then keys). */
  async typeInTerminal(text: string): Promise<void> {
    await this.page.locator('[data-testid="terminal-view"]:not(.hidden) [data-testid="xterm-host"]').click();
    await this.page.keyboard.type(text);
  }
}

export class TokensPage extends PageObject {
  readonly form = this.page.getByTestId('new-token-form');
  readonly createdValue = this.page.getByTestId('created-token-value');
  readonly rows = this.page.getByTestId('token-row');

  async goto(): Promise<void> {
    await this.page.goto('/settings/tokens');
    await expect(this.form).toBeVisible();
  }

  /** Creates a token and returns its secret as shown once on the page. */
  async create(name: string): Promise<string> {
    await this.form.getByRole('textbox', { name: 'Token name' }).fill(name);
    await this.form.getByRole('button', { name: 'Create token' }).click();
    await expect(this.createdValue).toBeVisible();
    await expect(this.row(name)).toHaveCount(1);
    const token = (await this.createdValue.textContent())?.trim() ?? '';
    expect(token.length, 'a token secret is shown').toBeGreaterThan(20);
    return token;
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: 'Revoke' }).click();
    await expect(this.row(name)).toHaveCount(0);
  }
}
