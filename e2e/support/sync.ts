// Page objects for hybrid sync (issue 18): Settings → Remotes, the Link dialog, the sync light and
// the Sync dialog with Ask's conflict list.
import { expect, type Locator, type Page } from '@playwright/test';
import { PageObject } from './pages';

export class RemotesPage extends PageObject {
  readonly form = this.page.getByTestId('new-remote-form');
  readonly check = this.page.getByTestId('remote-check');
  readonly rows = this.page.getByTestId('remote-row');

  async goto(): Promise<void> {
    await this.page.goto('/settings/remotes');
    await expect(this.form).toBeVisible();
  }

  /** Fills the form and presses Enter; the check's answer shows at once. */
  async add(url: string, token: string, name: string): Promise<void> {
    await this.form.getByTestId('remote-url').fill(url);
    await this.form.getByTestId('remote-name').fill(name);
    await this.form.getByTestId('remote-token').fill(token);
    await this.page.keyboard.press('Enter');
    await expect(this.check).toBeVisible({ timeout: 20_000 });
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('remote-row-name').getByText(name, { exact: true }) });
  }
}

export class SyncUi extends PageObject {
  readonly light = this.page.getByTestId('sync-light');
  // Each project on the dashboard has its own dialogs: the open one is meant.
  readonly linkDialog = this.page.locator('[data-testid="link-dialog"][open]');
  readonly dialog = this.page.locator('[data-testid="sync-dialog"][open]');
  readonly summary = this.dialog.getByTestId('sync-summary');
  readonly resolver = this.dialog.getByTestId('conflict-resolver');

  async openLink(scope: Locator | Page = this.page): Promise<void> {
    await scope.getByTestId('sync-link-open').click();
    await expect(this.linkDialog).toBeVisible();
    await expect(this.linkDialog.getByTestId('link-project')).toHaveAttribute('data-status', 'ready', {
      timeout: 20_000,
    });
  }

  async openSync(scope: Locator | Page = this.page): Promise<void> {
    await scope.getByTestId('sync-light').click();
    await expect(this.dialog).toBeVisible();
  }

  /** Picks the mode and conflict strategy, presses Sync and waits for the run to end. */
  async sync(mode: 'upload' | 'download' | 'both', onConflict: 'local' | 'remote' | 'merge' | 'ask'): Promise<void> {
    await this.choose(`sync-mode-${mode}`);
    await this.choose(`sync-conflict-${onConflict}`);
    await this.dialog.getByTestId('sync-run').click();
    await this.waitDone();
  }

  /** Clicks the label of a visually hidden radio, as a person would, and checks it took. */
  async choose(testId: string): Promise<void> {
    const radio = this.dialog.getByTestId(testId);
    await this.dialog.locator('label', { has: this.page.getByTestId(testId) }).click();
    await expect(radio).toBeChecked();
  }

  async waitDone(): Promise<void> {
    await expect(this.dialog).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  }

  conflict(path: string): Locator {
    return this.resolver.locator(`[data-testid="conflict-item"][data-path="${path}"]`);
  }
}
