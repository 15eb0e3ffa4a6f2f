// API helpers and test data for Berth's end-to-end journeys. They only set up state faster;
// tests themselves talk to the app the way a person does (see ./pages).
import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { CreatedTokenDto, ProjectDto, TemplateId, UserDto } from '../../server/contracts';

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
  nextjs: 'Next.js',
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

export async function createProjectViaApi(
  request: APIRequestContext,
  name: string,
  template: TemplateId = 'blank-node',
): Promise<ProjectDto> {
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
export async function signedInContext(
  browser: Browser,
  baseURL: string,
  label: string,
): Promise<{ context: BrowserContext; page: Page; user: TestUser }> {
  const context = await browser.newContext({ baseURL });
  const user = uniqueUser(label);
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return { context, page: await context.newPage(), user };
}
