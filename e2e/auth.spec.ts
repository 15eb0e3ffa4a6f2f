// Accounts: sign up, sign out, sign in, wrong password, and pages that need a session.
import { expect, SignInPage, SignUpPage, signUpViaApi, test, uniqueUser } from './support/berth';

test('sign up, sign out, and sign in again', async ({ page }) => {
  const user = uniqueUser('auth');

  const signUp = new SignUpPage(page);
  await signUp.goto();
  const dashboard = await signUp.signUp(user);
  await expect(dashboard.currentUser).toHaveText(user.email);
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByText('No projects yet')).toBeVisible();

  await dashboard.signOut();

  // Signed out for real: the dashboard now sends us to /signin, remembering where we were.
  const response = await page.goto('/');
  expect(response?.ok()).toBe(true);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  const signIn = new SignInPage(page);
  await expect(signIn.form).toBeVisible();
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  const again = await signIn.signIn(user);
  await expect(again.currentUser).toHaveText(user.email);
});

test('a wrong password is refused with a message', async ({ page, request }) => {
  const user = uniqueUser('wrongpw');
  await signUpViaApi(request, user);

  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.fillAndSubmit(user.email, `${user.password}-nope`);
  await expect(signIn.error).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/signin/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  // The right password still works afterwards.
  await signIn.signIn(user);
});

test('a visitor is sent to /signin from the dashboard and from a workbench', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  await expect(new SignInPage(page).form).toBeVisible();

  await page.goto('/p/anything');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fp%2Fanything$/);
  await expect(new SignInPage(page).form).toBeVisible();
  await expect(page.getByTestId('workbench')).toHaveCount(0);
});

test('signing in returns to the page that asked for it', async ({ page, request }) => {
  const user = uniqueUser('callback');
  await signUpViaApi(request, user);
  await page.goto('/settings/tokens');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Ftokens$/);
  await new SignInPage(page).fillAndSubmit(user.email, user.password);
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByTestId('new-token-form')).toBeVisible();
});
