// Page objects for snapshots: the workbench's History panel and diff view, and the dashboard's
// import dialog.
import { expect, type Locator } from '@playwright/test';
import { PageObject } from './pages';

export class HistoryPanel extends PageObject {
  readonly tab = this.page.getByTestId('sidebar-tab-history');
  readonly filesTab = this.page.getByTestId('sidebar-tab-files');
  readonly panel = this.page.getByTestId('history-panel');
  readonly rows = this.panel.getByTestId('snapshot-row');
  readonly changes = this.page.getByTestId('snapshot-changes');
  readonly diffView = this.page.getByTestId('snapshot-diff-view');
  readonly outcome = this.page.getByTestId('restore-outcome');
  readonly saveDialog = this.page.getByTestId('save-snapshot-dialog');
  readonly restoreDialog = this.page.getByTestId('restore-project-dialog');
  readonly statusBarState = this.page.getByTestId('snapshot-status');

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
    await expect(this.panel).toHaveAttribute('data-status', 'ready');
  }

  row(title: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('snapshot-title').getByText(title, { exact: true }) });
  }

  /** Save snapshot → type a label → Enter, as a person would. */
  async save(label: string): Promise<void> {
    await this.panel.getByTestId('save-snapshot').click();
    await expect(this.saveDialog).toBeVisible();
    await this.saveDialog.getByRole('textbox', { name: 'Label (optional)' }).fill(label);
    await this.page.keyboard.press('Enter');
    await expect(this.saveDialog).toBeHidden({ timeout: 30_000 });
    await expect(this.row(label)).toHaveCount(1);
  }

  async select(title: string): Promise<void> {
    await this.row(title).click();
    await expect(this.row(title)).toHaveAttribute('aria-pressed', 'true');
    await expect(this.changes).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  }

  change(path: string): Locator {
    return this.changes.locator(`[data-testid="snapshot-change"][data-path="${path}"]`);
  }

  async openDiff(path: string): Promise<void> {
    await this.change(path).click();
    await expect(this.diffView).toHaveAttribute('data-path', path);
    await expect(this.diffView).toHaveAttribute('data-status', 'ready');
    await expect(this.diffView.locator('.monaco-diff-editor')).toBeVisible();
  }
}

export class ImportDialog extends PageObject {
  readonly button = this.page.getByTestId('import-project');
  readonly dialog = this.page.getByTestId('import-project-dialog');
  readonly error = this.page.getByTestId('import-error');

  async open(): Promise<void> {
    await this.button.click();
    await expect(this.dialog).toBeVisible();
  }

  async submit(file: string, name?: string): Promise<void> {
    await this.dialog.getByTestId('import-file').setInputFiles(file);
    if (name) await this.dialog.getByRole('textbox', { name: 'Name (optional)' }).fill(name);
    await this.dialog.getByTestId('import-confirm').click();
  }

  async submitGitUrl(url: string): Promise<void> {
    await this.dialog.getByTestId('import-source-git').click();
    await this.dialog.getByTestId('import-git-url').fill(url);
    await this.dialog.getByTestId('import-confirm').click();
  }
}
