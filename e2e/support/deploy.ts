// Page object for the Deploy dialog (IDE toolbar and dashboard): deploy, watch the build, the
// History's Rollback, Variables, environments.
import { expect, type Locator, type Page } from '@playwright/test';
import { PageObject } from './pages';

/** Building the template in a fresh container (install from the image, vite build) and starting it. */
export const DEPLOY_TIMEOUT = 150_000;

export class DeployDialog extends PageObject {
  readonly dialog = this.page.getByTestId('deploy-dialog');
  readonly progress = this.dialog.getByTestId('build-progress');
  readonly deployNow = this.dialog.getByTestId('deploy-now');
  readonly openLink = this.dialog.getByTestId('environment-open');
  readonly state = this.dialog.getByTestId('environment-state');
  readonly history = this.dialog.getByTestId('deployment-row');
  readonly error = this.dialog.getByTestId('deploy-error');

  /** Opens the dialog from the first Deploy button in `scope` (the IDE header, a dashboard row). */
  async open(scope: Locator | Page = this.page): Promise<void> {
    await scope.getByTestId('deploy-open').first().click();
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByTestId('deploy-overview')).toBeVisible();
  }

  tab(name: 'deploy' | 'history' | 'variables' | 'logs' | 'settings'): Locator {
    return this.dialog.getByTestId(`deploy-tab-${name}`);
  }

  /** Deploy now and wait until the new deployment is live; returns its id. */
  async deployAndWaitLive(): Promise<string> {
    const before = await this.progress.getAttribute('data-deployment-id').catch(() => null);
    await this.deployNow.click();
    return this.waitForNewLive(before);
  }

  /** Waits for a deployment other than `before` to show up and go live; returns its id. */
  async waitForNewLive(before: string | null): Promise<string> {
    await expect(this.progress).not.toHaveAttribute('data-deployment-id', before ?? '', { timeout: 15_000 });
    await expect(this.progress).toHaveAttribute('data-status', 'live', { timeout: DEPLOY_TIMEOUT });
    const id = await this.progress.getAttribute('data-deployment-id');
    expect(id).toBeTruthy();
    return id!;
  }

  /** The environment's URL as the dialog shows it. */
  async url(): Promise<string> {
    await expect(this.openLink).toHaveAttribute('data-url', /^http:\/\/d-/);
    return (await this.openLink.getAttribute('data-url'))!;
  }

  /** Clicks "Open" (through Berth's …/open hand-off) and returns the new tab. */
  async openDeployment(): Promise<Page> {
    const [popup] = await Promise.all([this.page.context().waitForEvent('page'), this.openLink.click()]);
    await popup.waitForLoadState();
    return popup;
  }

  async createEnvironment(name: string, isPrivate: boolean): Promise<void> {
    await this.dialog.getByTestId('environment-picker').selectOption('__new__');
    const form = this.dialog.getByTestId('new-environment-form');
    await form.getByTestId('new-environment-name').fill(name);
    await form.getByTestId('new-environment-private').setChecked(isPrivate);
    await form.getByTestId('new-environment-create').click();
    await expect(this.dialog.getByTestId('environment-picker')).toHaveValue(name);
    await expect(this.dialog.getByTestId('deploy-body')).toHaveAttribute('data-environment', name);
  }

  async close(): Promise<void> {
    await this.dialog.getByTestId('deploy-close').click();
    await expect(this.dialog).toBeHidden();
  }
}
