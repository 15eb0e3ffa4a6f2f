// One user's projects are invisible to another, in the UI, the page routes and the API.
import {
  createProjectViaApi,
  DashboardPage,
  expect,
  signedInContext,
  test,
  uniqueName,
  sameOrigin,
} from './support/berth';

test("user B cannot see or open user A's project", async ({ browser, baseURL }) => {
  const a = await signedInContext(browser, baseURL!, 'owner');
  const b = await signedInContext(browser, baseURL!, 'intruder');
  try {
    // A makes a project through the UI and sees it.
    const dashboardA = new DashboardPage(a.page);
    await dashboardA.goto();
    const name = uniqueName('secret');
    const id = await dashboardA.createProject(name, 'Static HTML');
    // B has one of its own, so an empty list is not mistaken for isolation.
    const own = await createProjectViaApi(b.context.request, uniqueName('mine'), 'blank-node');

    // B's dashboard lists only B's project.
    const dashboardB = new DashboardPage(b.page);
    await dashboardB.goto();
    await expect(dashboardB.rows).toHaveCount(1);
    await expect(dashboardB.rowById(own.id)).toHaveCount(1);
    await expect(dashboardB.rowById(id)).toHaveCount(0);
    await expect(dashboardB.row(name)).toHaveCount(0);

    // The workbench URL of A's project is a real 404 for B.
    const response = await b.page.goto(`/p/${id}`);
    expect(response?.status()).toBe(404);
    await expect(b.page.getByTestId('not-found')).toBeVisible();
    await expect(b.page.getByTestId('workbench')).toHaveCount(0);
    await expect(b.page.getByText(name)).toHaveCount(0);

    // So are the API routes, reading and writing.
    expect((await b.context.request.get(`/api/v1/projects/${id}`)).status()).toBe(404);
    expect(
      (
        await b.context.request.patch(`/api/v1/projects/${id}`, { data: { name: 'taken' }, headers: sameOrigin })
      ).status(),
    ).toBe(404);
    expect((await b.context.request.delete(`/api/v1/projects/${id}`, { headers: sameOrigin })).status()).toBe(404);
    // Without Berth's Origin the same cookie-authenticated change is refused outright.
    expect((await b.context.request.delete(`/api/v1/projects/${id}`)).status()).toBe(403);
    const listed = (await (await b.context.request.get('/api/v1/projects')).json()) as { id: string }[];
    expect(listed.map((project) => project.id)).toEqual([own.id]);

    // A still has it, unchanged, and can open it.
    const mine = await a.context.request.get(`/api/v1/projects/${id}`);
    expect(mine.status()).toBe(200);
    expect(((await mine.json()) as { name: string }).name).toBe(name);
    const opened = await a.page.goto(`/p/${id}`);
    expect(opened?.status()).toBe(200);
    await expect(a.page.getByTestId('workbench-project-name')).toHaveText(name);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test('an unknown project id is a 404 for its would-be owner too', async ({ user, page }) => {
  void user;
  const response = await page.goto('/p/does-not-exist');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});
