// Fixtures and page objects for Berth's end-to-end journeys. Tests talk to the app the way
// a person does (pages, buttons, dialogs); the API helpers only set up state faster.
import { randomBytes } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { CreatedTokenDto, ProjectDto, TemplateId, UserDto } from '../../server/contracts';

export { expect };

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export const TEMPLATE_LABELS = {
  'blank-node': 'Blank Node',
  'vite-react': 'Vite + React',
  'express-api': 'Express API',
  'static-html': 'Static HTML',
} as const satisfies Record<TemplateId, string>;
export type TemplateLabel = (typeof TEMPLATE_LABELS)[TemplateId];

const random = (bytes = 6) => randomBytes(bytes).toString('hex');

/**
 * Browsers send Origin on every POST/PATCH/DELETE, and Berth refuses cookie-authenticated
 * changes without its own (CSRF defence). Playwright's API requests send none: add it.
 */
export const sameOrigin = { Origin: `http://localhost:${Number(process.env.E2E_PORT ?? 3210)}` };

/** A user nobody has used yet: unique email, valid password. */
export function uniqueUser(label = 'user'): TestUser {
  const id = random();
  return { name: `E2E ${label} ${id}`, email: `u-${id}@example.test`, password: `pw-${random(9)}` };
}

export const uniqueName = (prefix: string) => `${prefix}-${random(3)}`;

// ---------------------------------------------------------------------------------------
// API helpers (setup only). `request` is a context's request (shares its cookie jar) or a
// standalone one from `request.newContext()`.

export async function signUpViaApi(request: APIRequestContext, user: TestUser): Promise<UserDto> {
  const response = await request.post('/api/v1/auth/signup', { data: user });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as UserDto;
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in the context. */
export async function signInViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  const csrf = await request.get('/api/auth/csrf');
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: user.email, password: user.password, json: 'true', callbackUrl: '/' },
    maxRedirects: 0,
  });
  expect(response.status(), `sign-in answered ${response.status()}`).toBeLessThan(400);
  const me = await request.get('/api/v1/me');
  expect(me.status(), 'the session cookie is accepted').toBe(200);
}

export async function createProjectViaApi(request: APIRequestContext, name: string, template: TemplateId = 'blank-node'): Promise<ProjectDto> {
  const response = await request.post('/api/v1/projects', { data: { name, template }, headers: sameOrigin });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as ProjectDto;
}

export async function createTokenViaApi(request: APIRequestContext, name: string): Promise<CreatedTokenDto> {
  const response = await request.post('/api/v1/tokens', { data: { name }, headers: sameOrigin });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as CreatedTokenDto;
}

/** A fresh browser context (own cookie jar) signed in as a new user. */
export async function signedInContext(browser: Browser, baseURL: string, label: string): Promise<{ context: BrowserContext; page: Page; user: TestUser }> {
  const context = await browser.newContext({ baseURL });
  const user = uniqueUser(label);
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return { context, page: await context.newPage(), user };
}

// ---------------------------------------------------------------------------------------
// Page objects

export class SignInPage {
  readonly form: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('signin-form');
    this.error = this.form.getByRole('alert');
  }

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

export class SignUpPage {
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('signup-form');
  }

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

export class DashboardPage {
  readonly list: Locator;
  readonly rows: Locator;
  readonly newProjectButton: Locator;
  readonly newProjectDialog: Locator;
  readonly renameDialog: Locator;
  readonly deleteDialog: Locator;
  readonly signOutButton: Locator;
  readonly currentUser: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByTestId('project-list');
    this.rows = this.list.getByTestId('project-row');
    this.newProjectButton = page.getByTestId('new-project');
    this.newProjectDialog = page.getByTestId('new-project-dialog');
    this.renameDialog = page.getByTestId('rename-project-dialog');
    this.deleteDialog = page.getByTestId('delete-project-dialog');
    this.signOutButton = page.getByTestId('sign-out');
    this.currentUser = page.getByTestId('current-user');
  }

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

  /** Creates a project through the dialog and returns its id (from the new row). */
  async createProject(name: string, template: TemplateLabel): Promise<string> {
    const dialog = await this.openNewProjectDialog();
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    // The radio itself is visually hidden: a person clicks the card that labels it.
    await dialog.getByText(template, { exact: true }).click();
    await expect(dialog.getByRole('radio', { name: template })).toBeChecked();
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await expect(dialog).toBeHidden();
    const row = this.row(name);
    await expect(row).toHaveCount(1);
    const id = await row.getAttribute('data-project-id');
    expect(id, 'the new row carries its project id').toBeTruthy();
    return id!;
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

export class WorkbenchPage {
  readonly root: Locator;
  readonly projectName: Locator;
  readonly fileTree: Locator;
  readonly editor: Locator;
  readonly terminal: Locator;
  readonly preview: Locator;
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('workbench');
    this.projectName = page.getByTestId('workbench-project-name');
    this.fileTree = page.getByTestId('file-tree-pane');
    this.editor = page.getByTestId('editor-pane');
    this.terminal = page.getByTestId('terminal-pane');
    this.preview = page.getByTestId('preview-pane');
    this.connection = page.getByTestId('connection-status');
  }

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

  get workspaceStatus(): Locator {
    return this.page.getByTestId('workspace-status');
  }

  get terminalTabs(): Locator {
    return this.page.getByTestId('terminal-tab');
  }

  /** The visible terminal's screen (xterm renders its rows into the DOM). */
  get activeTerminalScreen(): Locator {
    return this.page.locator('[data-testid="terminal-view"]:not(.hidden) .xterm-rows');
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

export class TokensPage {
  readonly form: Locator;
  readonly createdValue: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('new-token-form');
    this.createdValue = page.getByTestId('created-token-value');
    this.rows = page.getByTestId('token-row');
  }

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

// ---------------------------------------------------------------------------------------
// Fixtures

interface BerthFixtures {
  /** A new user, signed up and signed in in this test's `page`/`context`. */
  user: TestUser;
  dashboard: DashboardPage;
  workbench: WorkbenchPage;
  tokensPage: TokensPage;
  signInPage: SignInPage;
  signUpPage: SignUpPage;
}

export const test = base.extend<BerthFixtures>({
  user: async ({ context }, use) => {
    const user = uniqueUser();
    await signUpViaApi(context.request, user);
    await signInViaApi(context.request, user);
    await use(user);
  },
  dashboard: async ({ page }, use) => use(new DashboardPage(page)),
  workbench: async ({ page }, use) => use(new WorkbenchPage(page)),
  tokensPage: async ({ page }, use) => use(new TokensPage(page)),
  signInPage: async ({ page }, use) => use(new SignInPage(page)),
  signUpPage: async ({ page }, use) => use(new SignUpPage(page)),
});
