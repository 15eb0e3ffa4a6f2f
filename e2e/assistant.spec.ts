// The Assistant panel as a person uses it (issue 11), against a scripted OpenAI-compatible model
// server on loopback (the e2e Berth's AI_OPENAI_BASE_URL, scripts/e2e-server.mjs) and the real
// workspace container: a turn that creates and edits files and runs a command, its cards, undo;
// locks while a turn writes and Stop; conversations that survive a reload, exported and imported.
import { readFile } from 'node:fs/promises';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedToolCall,
} from '../server/test-support/scripted-model-server';
import { createProjectViaApi, expect, sameOrigin, test, uniqueName } from './support/berth';
import { FilesPanel } from './support/files';

// One server for the file, on the port the e2e Berth was told: the tests run one after another.
test.describe.configure({ mode: 'serial', timeout: 180_000 });
const modelPort = Number(process.env.E2E_MODEL_PORT ?? Number(process.env.E2E_PORT ?? 3210) + 89);
let model: ScriptedModelServer;
test.beforeAll(async () => {
  model = await startScriptedModelServer({ port: modelPort });
});
test.afterAll(async () => model?.close());

const call = (name: string, args: Record<string, unknown>): ScriptedToolCall => ({
  name,
  argumentChunks: [JSON.stringify(args)],
});

test('a turn creates and edits files and runs a command, shown as cards; Undo this turn restores them', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const files = new FilesPanel(page);
  const project = await createProjectViaApi(page.request, uniqueName('assistant'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();

  model.enqueue(
    {
      kind: 'tool-calls',
      text: ['I will add a note and change the greeting.'],
      calls: [
        call('write_file', { path: 'notes/todo.md', content: '# Todo\n- buy milk\n' }),
        call('edit_file', { path: 'index.js', old: 'Hello from Node.js', new: 'Hi from the assistant on Node.js' }),
      ],
    },
    { kind: 'tool-calls', calls: [call('run_command', { command: 'echo ran-$((6*7))' })] },
    { kind: 'text', chunks: ['All ', 'done', '.'], delayMs: 20 },
  );

  // Ctrl+I opens the panel with the cursor in its input.
  await page.keyboard.press('Control+I');
  const panel = page.getByTestId('assistant-panel');
  await expect(panel).toBeVisible();
  const input = page.getByTestId('assistant-input');
  await expect(input).toBeFocused();
  await page.keyboard.type('Add a todo note');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('and greet differently');
  await page.keyboard.press('Enter');

  await expect(panel.getByTestId('assistant-user-message')).toHaveText('Add a todo note\nand greet differently');
  const cards = panel.getByTestId('assistant-tool-card');
  await expect(cards.nth(0)).toContainText('Created notes/todo.md');
  await expect(cards.nth(1)).toContainText('Edited index.js (+1 −1)');
  await expect(cards.nth(2)).toContainText('Ran echo ran-$((6*7)) (exit 0)');
  await expect(panel.getByTestId('assistant-text').last()).toHaveText('All done.');
  await expect(panel.getByTestId('assistant-turn-footer')).toContainText('2 files changed');
  await expect(input).toHaveValue('');

  // The cards open: the edit as a diff, the command's output.
  await cards.nth(1).getByRole('button').click();
  await expect(cards.nth(1).getByTestId('assistant-tool-diff')).toContainText('Hi from the assistant on Node.js');
  await cards.nth(2).getByRole('button').click();
  await expect(cards.nth(2).getByTestId('assistant-tool-output')).toContainText('ran-42');

  // The model saw the request; the files are in the workspace, the tree shows them.
  expect(JSON.stringify(model.chatRequests()[0]!.body!.messages)).toContain('and greet differently');
  await page.getByTestId('sidebar-tab-files').click();
  await expect(files.node('notes')).toBeVisible();
  const content = async (path: string) =>
    (await page.request.get(`/api/v1/projects/${project.id}/files/content?path=${path}`)).text();
  expect(await content('index.js')).toContain('Hi from the assistant on Node.js');

  // Undo: the note is gone, index.js is back.
  await page.keyboard.press('Control+I');
  await panel.getByTestId('assistant-undo').click();
  await expect(panel.getByTestId('assistant-notice')).toContainText('Undid the turn: 2 files restored');
  await expect(panel.getByTestId('assistant-turn-undone')).toBeVisible();
  expect(await content('index.js')).toContain('Hello from Node.js');
  expect((await page.request.get(`/api/v1/projects/${project.id}/files/content?path=notes/todo.md`)).status()).toBe(
    404,
  );
});

test('while a turn writes, the file is read-only and a save gets 423; Stop interrupts the command and frees it', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const files = new FilesPanel(page);
  const project = await createProjectViaApi(page.request, uniqueName('assistant-lock'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await files.open('index.js');

  model.enqueue(
    {
      kind: 'tool-calls',
      calls: [call('write_file', { path: 'index.js', content: 'console.log("by the assistant");\n' })],
    },
    { kind: 'tool-calls', calls: [call('run_command', { command: 'echo waiting; sleep 120' })] },
  );
  await page.getByTestId('sidebar-tab-assistant').click();
  await page.getByTestId('assistant-input').fill('Rewrite index.js then wait');
  await page.getByTestId('assistant-send').click();

  const panel = page.getByTestId('assistant-panel');
  const running = panel.locator('[data-testid="assistant-tool-card"][data-tool="run_command"][data-status="running"]');
  await expect(running).toBeVisible();
  await expect(running.getByTestId('assistant-tool-output')).toContainText('waiting');
  await expect(page.getByTestId('lock-banner')).toContainText('Assistant is editing');
  const save = await page.request.put(`/api/v1/projects/${project.id}/files/content?path=index.js`, {
    data: 'my own text',
    headers: sameOrigin,
  });
  expect(save.status()).toBe(423);

  await panel.getByTestId('assistant-stop').click();
  await expect(panel.locator('[data-testid="assistant-tool-card"][data-tool="run_command"]')).toHaveAttribute(
    'data-status',
    'error',
  );
  await expect(panel.getByTestId('assistant-turn-footer')).toContainText('Stopped.');
  await expect(page.getByTestId('lock-banner')).toHaveCount(0);
  await expect(panel.getByTestId('assistant-send')).toBeVisible();
  // What was written stays, and the user can save again.
  const after = await page.request.put(`/api/v1/projects/${project.id}/files/content?path=index.js`, {
    data: 'my own text',
    headers: sameOrigin,
  });
  expect(after.status()).toBe(200);
});

test('conversations follow in a second tab live, persist across a reload, can be renamed, exported and imported, and a new one starts empty', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('assistant-chats'), 'blank-node');
  await workbench.goto(project.id);
  model.enqueue({ kind: 'text', chunks: ['Hello', ' there'] });
  await page.keyboard.press('Control+I');
  await page.keyboard.type('Say hello');
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('assistant-panel');
  await expect(panel.getByTestId('assistant-text')).toHaveText('Hello there');

  await panel.getByTestId('assistant-rename').click();
  await panel.getByTestId('assistant-rename-input').fill('Greetings');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('assistant-conversations')).toContainText('Greetings');

  // A second tab of the project follows the next turn live.
  const other = await page.context().newPage();
  await other.goto(`/p/${project.id}`);
  await other.getByTestId('sidebar-tab-assistant').click();
  const otherPanel = other.getByTestId('assistant-panel');
  await expect(otherPanel.getByTestId('assistant-text')).toHaveText('Hello there');
  model.enqueue({ kind: 'text', chunks: ['Seen', ' everywhere'], delayMs: 50 });
  await page.getByTestId('assistant-input').fill('Again');
  await page.getByTestId('assistant-input').press('Enter');
  await expect(otherPanel.getByTestId('assistant-text')).toHaveText(['Hello there', 'Seen everywhere']);
  await expect(otherPanel.getByTestId('assistant-user-message')).toHaveText(['Say hello', 'Again']);
  await other.close();

  await page.reload();
  await workbench.expectOpen(project.id);
  await page.getByTestId('sidebar-tab-assistant').click();
  await expect(panel.getByTestId('assistant-text')).toHaveText(['Hello there', 'Seen everywhere']);
  await expect(panel.getByTestId('assistant-user-message')).toHaveText(['Say hello', 'Again']);
  await expect(panel.getByTestId('assistant-conversations').locator('option:checked')).toHaveText('Greetings');

  // Export the conversation, then Import the file: a copy appears in the picker, opened.
  const downloading = page.waitForEvent('download');
  await panel.getByTestId('assistant-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('greetings.json');
  await panel.getByTestId('assistant-import-input').setInputFiles({
    name: 'greetings.json',
    mimeType: 'application/json',
    buffer: await readFile(await download.path()),
  });
  await expect(panel.getByTestId('assistant-notice')).toContainText('Imported greetings.json');
  await expect(panel.getByTestId('assistant-conversations').locator('option')).toHaveText(['Greetings', 'Greetings']);
  await expect(panel.getByTestId('assistant-user-message')).toHaveText(['Say hello', 'Again']);

  await panel.getByTestId('assistant-new').click();
  await expect(panel.getByTestId('assistant-user-message')).toHaveCount(0);
  await expect(panel.getByTestId('assistant-conversations').locator('option')).toHaveCount(3);
});

test('Ask the Assistant about a selection: the editor attaches it, the model reads it', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const files = new FilesPanel(page);
  const project = await createProjectViaApi(page.request, uniqueName('assistant-ask'), 'blank-node');
  await workbench.goto(project.id);
  await files.expectReady();
  await files.open('index.js');
  await files.editorText.click();
  await page.keyboard.press('Control+A');
  // The context menu's "Ask the Assistant about the Selection", by its key.
  await page.keyboard.press('Control+Shift+I');
  const panel = page.getByTestId('assistant-panel');
  await expect(panel.getByTestId('assistant-attachment')).toHaveText(/^index\.js:1–1[0-9]/);
  await expect(page.getByTestId('assistant-input')).toBeFocused();

  model.enqueue({ kind: 'text', chunks: ['It answers HTTP.'] });
  const before = model.chatRequests().length;
  await page.keyboard.type('What does this do?');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('assistant-text')).toHaveText('It answers HTTP.');
  await expect(panel.getByTestId('assistant-request').getByTestId('assistant-attachment')).toHaveText(/^index\.js:1–/);
  expect(JSON.stringify(model.chatRequests()[before]!.body!.messages)).toContain('createServer((request, response)');
});

test('the model starts the dev server and the preview shows it; Retry runs the request again; Edit rewinds and sends the new text', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('assistant-dev'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();

  model.enqueue(
    { kind: 'tool-calls', calls: [call('start_dev_server', { command: 'PORT=5173 npm run dev', port: 5173 })] },
    { kind: 'text', chunks: ['It runs.'] },
  );
  await page.keyboard.press('Control+I');
  await page.keyboard.type('Start it');
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('assistant-panel');
  await expect(panel.getByTestId('assistant-tool-card')).toContainText('Started dev server on 5173', {
    timeout: 90_000,
  });
  await expect(workbench.preview).toHaveAttribute('data-status', 'ready');
  await expect(workbench.preview.getByTestId('preview-port')).toHaveValue('5173');
  await expect(page.frameLocator('[data-testid="preview-frame"]').locator('body')).toContainText('Hello from Node.js');
  await expect(panel.getByTestId('assistant-text')).toHaveText('It runs.');

  // Retry: the same request again, in place of the last turn.
  model.enqueue({ kind: 'text', chunks: ['Running again.'] });
  await panel.getByTestId('assistant-retry').click();
  await expect(panel.getByTestId('assistant-text')).toHaveText('Running again.');
  await expect(panel.getByTestId('assistant-user-message')).toHaveText(['Start it']);
  expect(JSON.stringify(model.chatRequests().at(-1)!.body!.messages)).toContain('Start it');

  // Edit the request: confirm the rewind, the new text is sent in its place.
  model.enqueue({ kind: 'text', chunks: ['Edited answer.'] });
  await panel.getByTestId('assistant-request').hover();
  await panel.getByTestId('assistant-edit').click();
  await panel.getByTestId('assistant-edit-input').fill('Start it on another port');
  await panel.getByTestId('assistant-edit-send').click();
  await page.getByTestId('assistant-rewind-confirm').click();
  await expect(panel.getByTestId('assistant-text')).toHaveText('Edited answer.');
  await expect(panel.getByTestId('assistant-user-message')).toHaveText(['Start it on another port']);
});
