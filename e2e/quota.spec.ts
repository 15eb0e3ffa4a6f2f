// WORKSPACE_MAX_RUNNING_PER_USER (3 by default) as a person meets it: with three workspaces
// running, opening a fourth project shows the refusal in the status bar, naming the running
// ones; after stopping one, Retry starts it.
import type { ProjectDto } from '../server/contracts';
import { createProjectViaApi, expect, sameOrigin, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('a fourth running workspace is refused until one of the three stops', async ({ user, page, workbench }) => {
  void user;
  const running: ProjectDto[] = [];
  for (let i = 1; i <= 3; i++) {
    const project = await createProjectViaApi(page.request, uniqueName(`quota-${i}`), 'static-html');
    const started = await page.request.post(`/api/v1/projects/${project.id}/start`, { headers: sameOrigin });
    expect(started.status(), await started.text()).toBe(200);
    running.push(project);
  }
  const fourth = await createProjectViaApi(page.request, uniqueName('quota-4'), 'static-html');

  await workbench.goto(fourth.id);
  await expect(workbench.workspaceStatus).toHaveAttribute('data-status', 'error');
  await expect(workbench.workspaceStatus).toContainText('You already have 3 workspaces running');
  for (const project of running) await expect(workbench.workspaceStatus).toContainText(project.name);
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/quota.png` });

  const stopped = await page.request.post(`/api/v1/projects/${running[0]!.id}/stop`, { headers: sameOrigin });
  expect(stopped.status()).toBe(200);
  await page.getByTestId('workspace-start').click();
  await workbench.expectWorkspaceRunning();
});
