// `berth watch` (issue 18): a save on one side visible on the other. A real Berth (in this
// process, its own embedded PostgreSQL, a real workspace container) and the CLI as a child
// process (`node scripts/berth.mjs watch`) on a cloned folder. (1) folder → Berth: a file written
// in the folder until the Berth's files API returns its new content; (2) Berth → folder: a PUT
// through the files API (an editor's save) until the folder's file holds it. Both polled every
// 5 ms. Baseline in the same run: `rsync -a` of the same one-file change between two local
// folders (the copy alone, no watching). The CLI runs as its own process, never synchronously:
// the Berth it talks to shares this one's event loop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProjectDto } from '../server/contracts';
import { call, createSignedInUser, startTestServer } from '../server/test-support/api-test-server';
import { runBench } from './lib/cleanup';
import { root } from './lib/repo';
import { writeSection } from './lib/results';
import { rounded, summarize } from './lib/stats';
import { p50GoalRow, printTable, SUMMARY_HEADER, summaryRow } from './lib/table';

const WARMUP = 3;
const SAVES = 20;
const GOAL_P50_MS = 1000;
const STEP_TIMEOUT_MS = 15_000;
const POLL_MS = 5;

async function until(check: () => Promise<boolean>, what: string): Promise<number> {
  const deadline = performance.now() + STEP_TIMEOUT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return performance.now();
}

/** The CLI as a child process, awaited without blocking: the Berth it talks to runs in this process. */
function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/berth.mjs'), ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`berth ${args[0]} failed (${code}): ${stderr}`)),
    );
  });
}

await runBench('sync-watch', async (defer) => {
  console.log('── sync-watch: a Berth with its own PostgreSQL and the workspace image');
  const t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  defer('stop the Berth', () => t.stop());
  const user = await createSignedInUser(t.baseUrl);
  const made = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: user.cookie }, { name: 'bench' });
  const token = ((await made.json()) as { token: string }).token;
  const created = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { token },
    { name: 'watch bench', template: 'blank-node' },
  );
  const project = (await created.json()) as ProjectDto;
  const home = await mkdtemp(path.join(tmpdir(), 'berth-bench-cli-'));
  defer('remove the temp home', () => rm(home, { recursive: true, force: true }));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config') };
  const fileUrl = (file: string) => `${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=${file}`;
  const put = async (file: string, content: string) => {
    const response = await fetch(fileUrl(file), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}` },
      body: content,
    });
    if (response.status !== 200) throw new Error(`PUT ${file}: ${response.status}`);
  };
  const get = async (file: string) => {
    const response = await fetch(fileUrl(file), { headers: { Authorization: `Bearer ${token}` } });
    return response.status === 200 ? response.text() : null;
  };
  await put('seed.txt', 'seed\n');
  await runCli(['login', t.baseUrl, '--token', token], home, env);
  await runCli(['clone', project.id, 'app'], home, env);
  const folder = path.join(home, 'app');

  const watch = spawn(process.execPath, [path.join(root, 'scripts/berth.mjs'), 'watch'], {
    cwd: folder,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  watch.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  defer('stop berth watch', async () => {
    if (watch.exitCode !== null) return;
    const exited = new Promise((resolve) => watch.once('exit', resolve));
    watch.kill('SIGINT');
    await exited;
  });
  await until(async () => stderr.includes('Watching'), 'berth watch to start');
  console.log(`── sync-watch: berth watch running on ${folder}`);

  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < WARMUP + SAVES; i++) {
    const upContent = `folder save ${i}\n`;
    const upStart = performance.now();
    await writeFile(path.join(folder, 'up.txt'), upContent);
    const upAt = await until(async () => (await get('up.txt')) === upContent, `up.txt #${i} on the Berth`);
    const downContent = `Berth save ${i}\n`;
    const downStart = performance.now();
    await put('down.txt', downContent);
    const downAt = await until(
      async () => (await readFile(path.join(folder, 'down.txt'), 'utf8').catch(() => null)) === downContent,
      `down.txt #${i} in the folder`,
    );
    if (i >= WARMUP) {
      up.push(upAt - upStart);
      down.push(downAt - downStart);
    }
  }

  // Baseline: rsync -a of the same one-file change between two local copies of the folder.
  const source = path.join(home, 'rsync-src');
  const target = path.join(home, 'rsync-dst');
  spawnSync('rsync', ['-a', '--exclude', '.berth', `${folder}/`, `${source}/`]);
  spawnSync('rsync', ['-a', `${source}/`, `${target}/`]);
  const rsync: number[] = [];
  for (let i = 0; i < WARMUP + SAVES; i++) {
    await writeFile(path.join(source, 'up.txt'), `rsync save ${i}\n`);
    const started = performance.now();
    const result = spawnSync('rsync', ['-a', `${source}/`, `${target}/`]);
    if (result.status !== 0) throw new Error(`rsync failed: ${result.stderr.toString()}`);
    if (i >= WARMUP) rsync.push(performance.now() - started);
  }

  const figures = { folderToBerth: summarize(up), berthToFolder: summarize(down), rsync: summarize(rsync) };
  printTable(
    `berth watch: a save visible on the other side (${SAVES} saves each way, ${WARMUP} warm-up)`,
    SUMMARY_HEADER,
    [
      p50GoalRow('folder → Berth (berth watch)', figures.folderToBerth, GOAL_P50_MS),
      p50GoalRow('Berth → folder (berth watch)', figures.berthToFolder, GOAL_P50_MS),
      summaryRow('baseline: rsync -a, local → local', figures.rsync),
    ],
    [
      'folder → Berth: write → the files API returns it; Berth → folder: PUT → the file holds it (polled every 5 ms).',
      'berth watch waits 150 ms of quiet after a local save; the Berth side is learned by a long poll.',
    ],
  );
  writeSection('sync-watch', {
    folderToBerth: rounded(figures.folderToBerth),
    berthToFolder: rounded(figures.berthToFolder),
    rsyncBaseline: rounded(figures.rsync),
  });
});
