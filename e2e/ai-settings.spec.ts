// A user's own model keys on /settings/ai (issue 11): reached from the header, a refused URL shown
// on its field, a key saved, shown only masked after a reload (the field itself empty), then cleared.
import { mkdirSync } from 'node:fs';
import { expect, test } from './support/berth';

const KEY = 'sk-e2e-own-key-0123456789WXYZ';
const shots = 'test-results/ai-settings';

test('a key saved on the AI models page comes back masked after a reload, and can be cleared', async ({
  user,
  page,
}) => {
  void user;
  await page.goto('/');
  await page.getByTestId('ai-settings-link').click();
  await expect(page).toHaveURL(/\/settings\/ai$/);
  const form = page.getByTestId('ai-settings-form');
  const save = page.getByTestId('ai-settings-save');
  await expect(save).toBeEnabled();

  // A user's URL on an internal address: refused on its field, nothing saved.
  // Test with nothing set says so.
  await page.getByTestId('ai-settings-test').click();
  await expect(page.getByTestId('ai-test-result')).toHaveText('Nothing to test: enter a URL or a key first');

  const ollamaUrl = form.getByLabel('URL', { exact: true });
  await ollamaUrl.fill('http://10.0.0.5:11434');
  await save.click();
  // The field's error becomes part of its label: find it by its name from here on.
  const ollamaInput = form.locator('input[name="ollamaUrl"]');
  await expect(ollamaInput).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('10.0.0.5 is an internal address');
  await expect(form).toContainText('AI_ALLOW_PRIVATE_HOSTS');
  // Test refuses it the same way, on the field (the earlier result is gone).
  await ollamaInput.fill('http://10.0.0.6:11434');
  await page.getByTestId('ai-settings-test').click();
  await expect(form).toContainText('10.0.0.6 is an internal address');
  await expect(page.getByTestId('ai-test-result')).toHaveCount(0);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/ai-settings-refused.png`, fullPage: true });
  await ollamaInput.fill('');

  const openaiKey = form.locator('input[name="openaiApiKey"]');
  await expect(openaiKey).toHaveAttribute('type', 'password');
  await openaiKey.fill(KEY);
  await save.click();
  await expect(page.getByTestId('ai-settings-status')).toHaveText('Saved.');
  await expect(page.getByTestId('saved-openaiApiKey')).toContainText('sk-…WXYZ');

  await page.reload();
  await expect(page.getByTestId('saved-openaiApiKey')).toContainText('sk-…WXYZ');
  await expect(openaiKey).toHaveValue('');
  await expect(ollamaInput).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByTestId('saved-anthropicApiKey')).toHaveCount(0);
  expect(await page.content()).not.toContain(KEY);
  await page.screenshot({ path: `${shots}/ai-settings.png`, fullPage: true });

  await page.getByTestId('saved-openaiApiKey').getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('ai-settings-status')).toHaveText('Cleared.');
  await page.reload();
  await expect(page.getByTestId('ai-settings-form')).toBeVisible();
  await expect(page.getByTestId('ai-settings-save')).toBeEnabled();
  await expect(page.getByTestId('saved-openaiApiKey')).toHaveCount(0);
});
