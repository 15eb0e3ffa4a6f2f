// Personal access tokens: made in the UI or the API, accepted as Bearer, refused once revoked.
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { createProjectViaApi, createTokenViaApi, expect, test, uniqueName } from './support/berth';

let bare: APIRequestContext;

test.beforeEach(async ({ baseURL }) => {
  // No cookies here: only the Authorization header can identify the caller.
  bare = await playwrightRequest.newContext({ baseURL });
});
test.afterEach(async () => {
  await bare.dispose();
});

const listWith = (token?: string) =>
  bare.get('/api/v1/projects', token ? { headers: { Authorization: `Bearer ${token}` } } : undefined);

test('a token made in the UI works as Bearer until it is revoked', async ({ user, page, tokensPage }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('tok'), 'vite-react');

  await tokensPage.goto();
  await expect(tokensPage.page.getByText('No tokens yet.')).toBeVisible();
  const tokenName = uniqueName('ci');
  const token = await tokensPage.create(tokenName);

  const withToken = await listWith(token);
  expect(withToken.status()).toBe(200);
  const projects = (await withToken.json()) as { id: string; name: string }[];
  expect(projects.map((p) => p.id)).toEqual([project.id]);
  expect(projects[0]!.name).toBe(project.name);

  expect((await listWith()).status()).toBe(401);
  expect((await listWith(`${token}x`)).status()).toBe(401);

  // Using it shows up on the tokens page (the server records it in the background).
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get('/api/v1/tokens')).json()) as { name: string; lastUsedAt: string | null }[]
        ).find((t) => t.name === tokenName)?.lastUsedAt ?? null,
    )
    .not.toBeNull();
  await page.reload();
  await expect(tokensPage.row(tokenName)).toContainText('used');
  await expect(tokensPage.row(tokenName)).not.toContainText('never used');

  await tokensPage.revoke(tokenName);
  expect((await listWith(token)).status()).toBe(401);
  await page.reload();
  await expect(tokensPage.row(tokenName)).toHaveCount(0);
});

test('a token made through POST /api/v1/tokens works the same', async ({ user, page, tokensPage }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('api'), 'express-api');
  const created = await createTokenViaApi(page.request, uniqueName('script'));
  expect(created.token).toBeTruthy();

  const withToken = await listWith(created.token);
  expect(withToken.status()).toBe(200);
  expect(((await withToken.json()) as { id: string }[]).map((p) => p.id)).toEqual([project.id]);
  const me = await bare.get('/api/v1/me', { headers: { Authorization: `Bearer ${created.token}` } });
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe(user.email);
  expect((await listWith()).status()).toBe(401);

  // It is listed in the UI (secret not shown again) and can be revoked there.
  await tokensPage.goto();
  await expect(tokensPage.row(created.name)).toContainText(created.prefix);
  await expect(tokensPage.createdValue).toHaveCount(0);
  await expect(page.getByText(created.token)).toHaveCount(0);
  await tokensPage.revoke(created.name);
  expect((await listWith(created.token)).status()).toBe(401);
});
