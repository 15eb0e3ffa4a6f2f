// `berth login` in the browser: the CLI's start (POST /api/v1/cli/login, as the command line
// sends it), then a person signed in opens the approve page, types the code their terminal
// shows (a code in the link is never used), sees the device, approves — and the CLI's poll
// collects the token, once. Opening the page signed out leads to sign-in, with the page as the
// way back.
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import type { CliLoginPollDto, CliLoginStartDto } from '../server/contracts';
import { expect, test } from './support/berth';

let cli: APIRequestContext;

test.beforeEach(async ({ baseURL }) => {
  // The command line: no cookies, only what it was given.
  cli = await playwrightRequest.newContext({ baseURL });
});
test.afterEach(async () => {
  await cli.dispose();
});

async function startLogin(): Promise<CliLoginStartDto> {
  const response = await cli.post('/api/v1/cli/login', { data: { device: 'e2e-laptop' } });
  expect(response.status()).toBe(201);
  return (await response.json()) as CliLoginStartDto;
}

const poll = async (login: CliLoginStartDto) =>
  cli.post('/api/v1/cli/login/poll', { data: { pollToken: login.pollToken } });

test('approving the code in the browser hands the CLI a working token, once', async ({ user, page }) => {
  void user;
  const login = await startLogin();
  expect((await (await poll(login)).json()) as CliLoginPollDto).toEqual({ status: 'pending' });

  expect(new URL(login.approveUrl).search).toBe('');
  await page.goto(new URL(login.approveUrl).pathname);
  const panel = page.getByTestId('cli-approve');
  await page.getByLabel('Code shown in your terminal').fill(login.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cli-approve-code')).toHaveText(login.code);
  await expect(page.getByTestId('cli-approve-device')).toHaveText('e2e-laptop');
  await page.getByTestId('cli-approve-button').click();
  await expect(page.getByTestId('cli-approve-done')).toBeVisible();
  await expect(panel).toHaveAttribute('data-status', 'done');

  // The same code again before the CLI collects: approved already, no button.
  await page.reload();
  await page.getByLabel('Code shown in your terminal').fill(login.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cli-approve-code')).toHaveText(login.code);
  await expect(page.getByText('This code was approved already.')).toBeVisible();
  await expect(page.getByTestId('cli-approve-button')).toHaveCount(0);

  const collected = (await (await poll(login)).json()) as CliLoginPollDto;
  expect(collected.status).toBe('approved');
  const token = collected.status === 'approved' ? collected.token : '';
  const me = await cli.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(((await me.json()) as { email: string }).email).toBe(user.email);
  expect((await poll(login)).status()).toBe(404);
  // Collected: the sign-in is gone.
  await page.reload();
  await page.getByLabel('Code shown in your terminal').fill(login.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cli-approve-error')).toContainText('No sign-in with this code');
});

test('a code typed by hand is looked up; an unknown one says so', async ({ user, page }) => {
  void user;
  const login = await startLogin();
  await page.goto('/cli/approve');
  await page.getByLabel('Code shown in your terminal').fill('ZZZZ-0000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cli-approve-error')).toContainText('No sign-in with this code');
  await page.getByLabel('Code shown in your terminal').fill(login.code.toLowerCase().replace('-', ''));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('cli-approve-code')).toHaveText(login.code);
  await expect(page.getByTestId('cli-approve-button')).toBeVisible();
});

test('a code in a link is not looked up: the page asks for the one the terminal shows', async ({ user, page }) => {
  void user;
  const login = await startLogin();
  await page.goto(`/cli/approve?code=${login.code}`);
  await expect(page.getByLabel('Code shown in your terminal')).toHaveValue('');
  await expect(page.getByTestId('cli-approve-code')).toHaveCount(0);
  await expect(page.getByTestId('cli-approve-button')).toHaveCount(0);
});

test('signed out, the approve page sends you to sign in, to come back to it', async ({ page }) => {
  await page.goto('/cli/approve');
  await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent('/cli/approve')}`);
});
