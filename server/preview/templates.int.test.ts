// Every template runs: a new project of each, its dependencies installed the way "Run" does it
// (berth-install copies the ones prepared in the image), its dev script started, and its page
// answered through its preview host. The preview domain is a name of its own (not *.localhost),
// so the dev servers' host checks must come from BERTH_PREVIEW_DOMAIN; for Next.js and Vite the
// hot-reload socket is opened with the preview's Origin, as the browser would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto, ProjectDto, TemplateId } from '../contracts';
import { TEMPLATES } from '../contracts';
import type { ExecSession } from '../runtime';
import { collect, waitUntil } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { rawGet, rawUpgrade } from './test-helpers';

const PREVIEW_DOMAIN = 'preview.berth.test';

interface Expectation {
  port: number;
  page: RegExp;
  /** The hot-reload WebSocket the page opens (it must accept the preview's Origin), given the preview host. */
  hmrPath?: (host: string) => Promise<string>;
}

const EXPECTED: Record<TemplateId, Expectation> = {
  'blank-node': { port: 3000, page: /Hello from Node\.js v\d+/ },
  'express-api': { port: 3000, page: /"message":"Hello from Express"/ },
  'static-html': { port: 3000, page: /<html/i },
  'vite-react': { port: 5173, page: /<script type="module" src="\/src\/main\.jsx">/, hmrPath: viteSocketPath },
  nextjs: { port: 3000, page: /<h1>Next\.js<\/h1>/, hmrPath: async () => '/_next/hmr' },
};

/** Vite's socket wants the token its client script carries (a guard against other sites' pages). */
async function viteSocketPath(host: string): Promise<string> {
  const client = await rawGet(t.baseUrl, '/@vite/client', { Host: host });
  const token = /const wsToken = "([^"]+)"/.exec(client.body)?.[1];
  if (!token) throw new Error(`no wsToken in /@vite/client (${client.status})`);
  return `/?token=${encodeURIComponent(token)}`;
}

let t: TestServer;
let alice: TestUser;
let tab: TestSocket;

beforeAll(async () => {
  t = await startTestServer({ PREVIEW_DOMAIN });
  alice = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
}, 60_000);

afterAll(async () => {
  tab?.close();
  await t?.stop();
});

async function previews(projectId: string): Promise<PreviewDto[]> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${projectId}/previews`, { cookie: alice.cookie });
  if (response.status !== 200) throw new Error(`GET previews: ${response.status}`);
  return (await response.json()) as PreviewDto[];
}

describe.each(TEMPLATES.map((template) => template.id))('the %s template', (template) => {
  const expected = EXPECTED[template];
  let project: ProjectDto;
  let dev: ExecSession | undefined;
  let output: ReturnType<typeof collect> | undefined;

  afterAll(async () => {
    dev?.close();
    if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  });

  it(`installs, runs its dev script and answers on port ${expected.port} through its preview host`, async () => {
    project = (await (
      await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: alice.cookie }, { name: `Run ${template}`, template })
    ).json()) as ProjectDto;
    await openRunningWorkspace(tab, project.id);
    // The command the preview pane's Run button types into its terminal when node_modules is missing.
    dev = await t.server.runtime.exec(project.id, ['bash', '-lc', 'berth-install && exec npm run dev'], { tty: false });
    output = collect(dev);
    await waitUntil(
      async () => (await previews(project.id)).some((preview) => preview.port === expected.port),
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; output:\n${output?.text()}`);
    });
    const { url } = (await previews(project.id)).find((preview) => preview.port === expected.port)!;
    expect(new URL(url).hostname.endsWith(`.${PREVIEW_DOMAIN}`)).toBe(true);
    // Next.js compiles the page on the first request: allow it a few tries.
    let page = await rawGet(t.baseUrl, '/', { Host: new URL(url).host });
    for (let attempt = 0; attempt < 20 && page.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      page = await rawGet(t.baseUrl, '/', { Host: new URL(url).host });
    }
    expect(page.status, page.body.slice(0, 500)).toBe(200);
    expect(page.body).toMatch(expected.page);

    if (expected.hmrPath) {
      const origin = new URL(url).origin;
      const upgraded = await rawUpgrade(t.baseUrl, await expected.hmrPath(new URL(url).host), {
        Host: new URL(url).host,
        Origin: origin,
        'Sec-WebSocket-Protocol': 'vite-hmr',
      });
      expect('socket' in upgraded ? 101 : `${upgraded.status} ${upgraded.body.slice(0, 200)}`).toBe(101);
      if ('socket' in upgraded) upgraded.socket.destroy();
    }
  }, 150_000);
});
