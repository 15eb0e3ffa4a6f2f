// Push and pull from the Source Control panel against a real git server (`git http-backend` with
// basic auth on this machine's address, which the e2e server lists in GIT_ALLOW_PRIVATE_HOSTS):
// init → edit → diff → stage → commit, add the remote, Push refused without a token and with a
// wrong one (the hint links to Settings → Git, where the token is saved and then replaced), Push
// busy while git runs with git's progress under it, the server repo has the commit; a commit made on the server comes in with
// Pull. The remote form shows the server's 409 (name taken) and 400 (URL refused); Remove asks.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHttpServer, type GitHttpServer } from '../server/test-support/git-http-server';
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';
import { FilesPanel } from './support/files';
import { GitApi, GitPanel, GitSettingsPage } from './support/git';

test.describe.configure({ timeout: 180_000 });

// The server wants the username Berth uses when none is saved.
const TOKEN = `e2e-${randomBytes(8).toString('hex')}`;
let server: GitHttpServer;

test.beforeAll(async () => {
  server = await startGitHttpServer({ username: 'x-access-token', password: TOKEN });
});

test.afterAll(async () => {
  await server?.close();
});

/** The subjects of a branch in one of the server's bare repositories, newest first. */
const serverLog = (repo: string, branch = 'main') =>
  execFileSync('git', ['--git-dir', path.join(server.root, `${repo}.git`), 'log', '--format=%s', branch], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .trim()
    .split('\n');

/** Someone else's commit, made straight on the server's repository. */
function commitOnServer(repo: string, file: string, text: string, subject: string): void {
  const work = mkdtempSync(path.join(tmpdir(), 'berth-e2e-clone-'));
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { stdio: 'pipe' });
    execFileSync('git', ['clone', '-q', path.join(server.root, `${repo}.git`), work], { stdio: 'pipe' });
    writeFileSync(path.join(work, file), text);
    git('add', '--', file);
    git('-c', 'user.name=Server Person', '-c', 'user.email=server@example.test', 'commit', '-q', '-m', subject);
    git('push', '-q', 'origin', 'HEAD:main');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test('commit, push with the token from Settings → Git, the server has it; pull brings the server’s commit', async ({
  user,
  page,
  context,
  workbench,
}) => {
  void user;
  const repo = `push-${randomBytes(4).toString('hex')}`;
  const url = server.createRepo(repo);
  const project = await createProjectViaApi(page.request, uniqueName('git-push'), 'blank-node');
  const files = new FilesPanel(page);
  const git = new GitPanel(page);
  const api = new GitApi(page.request, project.id);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();

  // init → edit → diff → stage → commit
  await git.open();
  await git.panel.getByTestId('git-init').click();
  await expect(git.panel).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('sidebar-tab-files').click();
  await files.createFile('hello.txt');
  await files.typeInEditor('hello from Berth');
  await page.keyboard.press('Control+s');
  await expect(files.tab('hello.txt')).toHaveAttribute('data-dirty', 'false');
  await git.open();
  await git.file('untracked', 'hello.txt').click();
  await expect(git.diffModified).toContainText('hello from Berth');
  await git.groupAction('untracked', 'git-stage-all');
  await expect(git.file('staged', 'hello.txt')).toBeVisible();
  await git.commitWithKeys('Hello');

  // The remote: none yet; a name git already has is a 409, a URL the rules refuse a 400, both as said.
  await expect(git.panel.getByTestId('git-remotes-empty')).toBeVisible();
  await git.addRemote('origin', url);
  await expect(git.remote('origin')).toContainText(url);
  await expect(git.remoteForm).toHaveCount(0);
  await git.addRemote('origin', url);
  await expect(git.remoteForm.getByTestId('git-remote-error')).toContainText('remote origin already exists');
  await git.remoteForm.getByTestId('git-remote-name').fill('elsewhere');
  await git.remoteForm.getByTestId('git-remote-url-input').fill('https://127.0.0.1/team/repo.git');
  await git.remoteForm.getByTestId('git-remote-save').click();
  await expect(git.remoteForm.getByTestId('git-remote-error')).toContainText('resolves to an internal address');
  // A second remote, removed again: Remove asks first.
  await git.remoteForm.getByTestId('git-remote-url-input').fill(url);
  await git.remoteForm.getByTestId('git-remote-save').click();
  await expect(git.remotes).toHaveCount(2);
  await git.remote('elsewhere').hover();
  await git.remote('elsewhere').getByTestId('git-remote-remove').click();
  await expect(page.getByTestId('git-confirm')).toContainText('Remove remote elsewhere?');
  await page.getByTestId('git-confirm-action').click();
  await expect(git.remotes).toHaveCount(1);
  await expect(git.notice).toContainText('Removed remote elsewhere');

  // Push without a token: git's refusal, and the hint links to Settings → Git with the host.
  await git.panel.getByTestId('git-push').click();
  await expect(git.error).toContainText(`Add a token for ${server.host} in Settings → Git`);
  const [settingsTab] = await Promise.all([
    context.waitForEvent('page'),
    git.error.getByTestId('git-error-settings-link').click(),
  ]);
  const settings = new GitSettingsPage(settingsTab);
  await expect(settings.root).toBeVisible();
  await expect(settings.host).toHaveValue(server.host);
  // The server's field errors show on the field.
  await settings.host.fill('not a host');
  await settings.save('wrong-token-9876');
  await expect(settings.form).toContainText('A host name such as github.com');
  await expect(settings.rows).toHaveCount(0);
  await settings.host.fill(server.host);
  await settings.save('wrong-token-9876');
  await expect(settings.status).toHaveText(`Saved the token for ${server.host}.`);
  await expect(settings.row(server.host)).toContainText('••••9876');
  await expect(settings.row(server.host)).toContainText('x-access-token (default)');
  await expect(settings.token).toHaveValue('');

  // A wrong token: git's refusal says so.
  await git.panel.getByTestId('git-push').click();
  await expect(git.error).toContainText(`The token for ${server.host} was refused: check it in Settings → Git`);
  expect(() => serverLog(repo)).toThrow();

  // Replace it on the settings page.
  await settings.row(server.host).getByTestId('git-credential-replace').click();
  await expect(settings.host).toHaveValue(server.host);
  await settings.save(TOKEN);
  await expect(settings.status).toHaveText(`Replaced the token for ${server.host}.`);
  await expect(settings.rows).toHaveCount(1);
  await expect(settings.row(server.host)).toContainText(`••••${TOKEN.slice(-4)}`);
  await expect(settings.root).not.toContainText(TOKEN);

  // Push: busy while git runs (the server holds the push), then what went where.
  const held = server.holdNextPush();
  await git.panel.getByTestId('git-push').click();
  await held.arrived;
  await expect(git.panel.getByTestId('git-push')).toHaveText('Pushing…');
  await expect(git.panel.getByTestId('git-push')).toHaveAttribute('data-running', 'true');
  await expect(git.panel.getByTestId('git-pull')).toBeDisabled();
  await expect(git.panel.getByTestId('git-fetch')).toBeDisabled();
  // git's own progress, live: by the time the server holds the push, git has written the pack.
  const progress = git.panel.getByTestId('git-sync-progress');
  await expect(progress).toHaveAttribute('data-phase', 'Writing objects');
  await expect(progress).toHaveAttribute('data-percent', '100');
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  held.release();
  await expect(git.notice).toContainText('Pushed to origin/main');
  await expect(git.panel.getByTestId('git-push')).toHaveText('Push');
  await expect(progress).toHaveCount(0);
  expect(serverLog(repo)).toEqual(['Hello']);

  // A second commit: the push says how many commits went.
  await api.write('hello.txt', 'hello again\n');
  await api.commitAll('Again');
  await expect(git.panel.getByTestId('git-push')).toContainText('↑1');
  await git.panel.getByTestId('git-push').click();
  await expect(git.notice).toContainText('Pushed 1 commit to origin/main');
  expect(serverLog(repo)).toEqual(['Again', 'Hello']);

  // Someone else's commit on the server comes in with Pull.
  commitOnServer(repo, 'from-server.txt', 'made on the server\n', 'From the server');
  await git.panel.getByTestId('git-pull').click();
  await expect(git.notice).toContainText('Pulled origin/main');
  await expect(git.commits.first()).toContainText('From the server');
  await expect(git.commits.first()).toContainText('Server Person');
  await page.getByTestId('sidebar-tab-files').click();
  await expect(files.node('from-server.txt')).toBeVisible();

  // Removing the token leaves no token for the host.
  await settings.row(server.host).getByTestId('git-credential-remove').click();
  await expect(settings.status).toHaveText(`Removed the token for ${server.host}.`);
  await expect(settings.page.getByTestId('git-credentials-empty')).toBeVisible();
});
