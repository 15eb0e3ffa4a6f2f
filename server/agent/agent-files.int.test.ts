// The agent's file operations in a real workspace container, over real HTTP and WebSocket:
// binary-safe content, preconditions, the size limit, path refusals (including a symlink to
// /etc made inside the container), watcher events, and listing a 10,000-file folder.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import type { AgentEndpoint } from '../runtime/runtime-driver';
import { makeTestDriver } from '../runtime/docker/docker-test-support';
import { run } from '../runtime/runtime-test-helpers';
import type { FileChange, FileEntry } from '../contracts/files';
import { connectRpc, type AgentRpcClient } from './agent-test-client';

const projectId = `test-files-${randomBytes(5).toString('hex')}`;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
let rpc: AgentRpcClient;

const auth = () => ({ Authorization: `Bearer ${agent.secret}` });
const content = (file: string, extra = '') => `${agent.url}/fs/content?path=${encodeURIComponent(file)}${extra}`;
const put = (file: string, body: BodyInit, headers: Record<string, string> = {}, maxBytes = 1 << 20) =>
  fetch(content(file, `&maxBytes=${maxBytes}`), { method: 'PUT', body, headers: { ...auth(), ...headers } });
const get = (file: string) => fetch(content(file), { headers: auth() });
const sh = async (script: string) => {
  const result = await run(testDriver.driver, projectId, ['bash', '-c', script]);
  if (result.code !== 0) throw new Error(`"${script}" failed (${result.code}): ${result.output}`);
  return result.output;
};
async function waitForChange(predicate: (change: FileChange) => boolean, timeoutMs: number): Promise<FileChange> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = rpc.changes.find(predicate);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no matching fs.changed within ${timeoutMs} ms; got ${JSON.stringify(rpc.changes)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  // Rebuilds the image when the agent's bundle changed.
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  const workspace = await testDriver.driver.ensureRunning({ projectId });
  agent = workspace.agent!;
  rpc = await connectRpc(agent);
  // The watcher starts after the agent listens: wait until it reports a probe file.
  await put('probe.txt', 'probe');
  await waitForChange((change) => change.path === 'probe.txt', 10_000);
});

afterAll(async () => {
  rpc?.close();
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

describe('agent files in a real workspace', () => {
  it('writes and reads all 256 byte values byte-identical', async () => {
    const data = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const written = await put('bin/all.bytes', data, { 'If-None-Match': '*' });
    expect(written.status).toBe(200);
    const { version, size } = (await written.json()) as { version: string; size: number };
    const read = await get('bin/all.bytes');
    const bytes = Buffer.from(await read.arrayBuffer());
    expect(size).toBe(256);
    expect(read.headers.get('x-berth-version')).toBe(version);
    expect(read.headers.get('content-type')).toBe('application/octet-stream');
    expect(bytes.equals(data)).toBe(true);
    // And on disk inside the container, as written.
    expect(await sh('sha256sum < bin/all.bytes')).toContain(createHash('sha256').update(data).digest('hex'));
  });

  it('refuses a stale If-Match with 412 and the current version', async () => {
    const first = (await (await put('doc.txt', 'one')).json()) as { version: string };
    const second = (await (await put('doc.txt', 'two', { 'If-Match': first.version })).json()) as { version: string };
    const stale = await put('doc.txt', 'three', { 'If-Match': first.version });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ error: 'conflict', currentVersion: second.version });
    expect(await (await get('doc.txt')).text()).toBe('two');
  });

  it('refuses a body over maxBytes with 413 and leaves the file untouched', async () => {
    await put('keep.txt', 'original');
    const response = await put('keep.txt', Buffer.alloc(64 * 1024, 1), {}, 1000);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'too_large' });
    expect(await (await get('keep.txt')).text()).toBe('original');
    expect(await sh('ls -A /workspace | grep -c berth-tmp || true')).toBe('0\n');
  });

  it('refuses bad paths with 400 and touches nothing, including a symlink to /etc made inside', async () => {
    await sh('ln -s /etc etclink && ln -s /etc/hostname host-link');
    const hostname = await sh('cat /etc/hostname');
    for (const bad of ['../x', '/etc/passwd', 'a\0b', 'etclink/passwd', 'etclink/berth-evil', 'host-link']) {
      const read = await get(bad);
      expect(read.status, `GET ${JSON.stringify(bad)}`).toBe(400);
      expect(await read.json()).toMatchObject({ error: 'bad_path' });
      const write = await put(bad, 'pwned');
      expect(write.status, `PUT ${JSON.stringify(bad)}`).toBe(400);
    }
    await expect(rpc.call('fs.list', { path: 'etclink' })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(rpc.call('fs.mkdir', { path: 'etclink/x' })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(rpc.call('fs.move', { from: 'keep.txt', to: 'etclink/keep.txt' })).rejects.toMatchObject({
      code: 'bad_path',
    });
    await expect(rpc.call('fs.delete', { path: '../workspace' })).rejects.toMatchObject({ code: 'bad_path' });
    expect(await sh('test ! -e /etc/berth-evil && test ! -e /etc/x && test ! -e /x && cat /etc/hostname')).toBe(
      hostname,
    );
    expect(await sh('cat keep.txt')).toBe('original');
  });

  it('answers the fs.* methods', async () => {
    expect(await rpc.call<FileEntry>('fs.mkdir', { path: 'm/n' })).toMatchObject({ path: 'm/n', kind: 'dir' });
    expect(await rpc.call<FileEntry>('fs.move', { from: 'doc.txt', to: 'm/n/doc.txt' })).toMatchObject({
      path: 'm/n/doc.txt',
      kind: 'file',
    });
    await expect(rpc.call('fs.move', { from: 'keep.txt', to: 'm/n/doc.txt' })).rejects.toMatchObject({
      code: 'exists',
    });
    expect(await rpc.call<FileEntry>('fs.stat', { path: 'm/n/doc.txt' })).toMatchObject({ size: 3 });
    expect(await rpc.call('fs.delete', { path: 'm' })).toBeNull();
    await expect(rpc.call('fs.stat', { path: 'm' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(rpc.call('fs.delete', { path: '' })).rejects.toMatchObject({ code: 'bad_path' });
    await sh('mkdir -p node_modules/pkg');
    const root = await rpc.call<FileEntry[]>('fs.list', { path: '' });
    expect(root.find((entry) => entry.name === 'node_modules')).toMatchObject({ heavy: true, kind: 'dir' });
    expect(root.find((entry) => entry.name === 'etclink')).toMatchObject({ kind: 'symlink' });
    // Heavy folders report nothing inside until the tree asks for one.
    expect(await rpc.call('fs.watch', { path: 'node_modules' })).toBeNull();
    await expect(rpc.call('fs.watch', { path: 'keep.txt' })).rejects.toMatchObject({ code: 'not_a_dir' });
    await sh('touch node_modules/pkg/ignored.js node_modules/seen.js');
    await waitForChange((change) => change.path === 'node_modules/seen.js', 1000);
    expect(rpc.changes.some((change) => change.path === 'node_modules/pkg/ignored.js')).toBe(false);
  });

  it('pushes fs.changed "created" within 1 s of touch in a terminal', async () => {
    rpc.changes.length = 0;
    await sh('touch x');
    const change = await waitForChange((item) => item.path === 'x', 1000);
    expect(change).toMatchObject({ type: 'created', kind: 'file' });
    expect(change.version).toMatch(/^\d+-0-\d+$/);
  });

  it('ends by itself on SIGTERM (exit 0), not by the SIGKILL after the stop timeout (137)', async () => {
    const exited = new Promise<number | null>((resolve) => {
      const off = testDriver.driver.onEvent((event) => {
        if (event.projectId !== projectId || event.type !== 'exited') return;
        off();
        resolve(event.exitCode);
      });
    });
    await testDriver.driver.stop(projectId);
    expect(await exited).toBe(0);
    agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
    rpc.close();
    rpc = await connectRpc(agent);
  });

  it('lists a folder of 10,000 files', async () => {
    // How long the listing takes is a figure of bench/files.bench.ts (next to ls in the same shell).
    await sh('mkdir big && cd big && seq 1 10000 | xargs touch');
    const entries = await rpc.call<FileEntry[]>('fs.list', { path: 'big' });
    expect(entries).toHaveLength(10_000);
    expect(entries[0]).toMatchObject({ name: '1', path: 'big/1', kind: 'file' });
  });
});
