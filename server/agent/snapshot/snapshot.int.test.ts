// Snapshots in a real workspace container: snapshot.scan over the agent's WebSocket (first
// and incremental timings for 1,000 files / 10 MB, printed), then POST /snapshot/archive,
// delete the files, PUT the tar back and scan again: identical manifest.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureWorkspaceImage } from '../../../scripts/workspace-image.mjs';
import type { SnapshotScanResult } from '../../contracts/agent';
import type { AgentEndpoint } from '../../runtime/runtime-driver';
import { makeTestDriver } from '../../runtime/docker/docker-test-support';
import { run } from '../../runtime/runtime-test-helpers';

const projectId = `test-snap-${randomBytes(5).toString('hex')}`;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
let socket: WebSocket;
let nextId = 1;

function call<T>(method: string, params?: unknown): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString()) as {
        id?: number;
        result?: T;
        error?: { code: string; message: string };
      };
      if (message.id !== id) return;
      socket.off('message', onMessage);
      if (message.error) reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else resolve(message.result as T);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method, params }));
  });
}
const sh = async (script: string) => {
  const result = await run(testDriver.driver, projectId, ['bash', '-c', script]);
  if (result.code !== 0) throw new Error(`"${script}" failed (${result.code}): ${result.output}`);
  return result.output;
};
const scan = (includeEnv = false) => call<SnapshotScanResult>('snapshot.scan', { maxFileBytes: 1 << 20, includeEnv });
const archiveUrl = () => `${agent.url}/snapshot/archive`;
const auth = () => ({ Authorization: `Bearer ${agent.secret}` });
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const startedAt = performance.now();
  const result = await work();
  return [result, performance.now() - startedAt];
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(async () => {
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  const workspace = await testDriver.driver.ensureRunning({ projectId });
  agent = workspace.agent!;
  socket = new WebSocket(`${agent.url.replace(/^http/, 'ws')}/connect`, { headers: auth() });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  // 1,000 files of 10 KiB (50 folders × 20) = 10 MB, plus ignored dependencies, a symlink, a
  // secret and a file the agent (uid 1000) cannot read.
  await sh(`cd /workspace && node -e '
    const fs = require("fs"), crypto = require("crypto");
    for (let d = 0; d < 50; d++) {
      fs.mkdirSync("proj/src/d" + d, { recursive: true });
      for (let f = 0; f < 20; f++) fs.writeFileSync("proj/src/d" + d + "/f" + f + ".txt", crypto.randomBytes(10240));
    }
    fs.mkdirSync("proj/node_modules/dep", { recursive: true });
    for (let f = 0; f < 300; f++) fs.writeFileSync("proj/node_modules/dep/m" + f + ".js", "x");
    fs.writeFileSync("proj/.gitignore", "*.log\\n");
    fs.writeFileSync("proj/debug.log", "x");
    fs.writeFileSync("proj/.env", "SECRET=1");
    fs.writeFileSync("proj/run.sh", "#!/bin/sh\\n"); fs.chmodSync("proj/run.sh", 0o755);
    fs.symlinkSync("/etc/passwd", "proj/passwd");
    fs.writeFileSync("proj/locked", "no access"); fs.chmodSync("proj/locked", 0);
  '`);
});

afterAll(async () => {
  socket?.close();
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

describe('snapshots in a real workspace', () => {
  let first: SnapshotScanResult;

  it('scans 1,000 files / 10 MB, then only re-reads what changed', async () => {
    first = await scan();
    const project = first.files.filter((file) => file.path.startsWith('proj/'));
    expect(project.filter((file) => file.path.startsWith('proj/src/'))).toHaveLength(1000);
    expect(project.map((file) => file.path).filter((file) => !file.startsWith('proj/src/'))).toEqual([
      'proj/.gitignore',
      'proj/passwd',
      'proj/run.sh',
    ]);
    expect(project.find((file) => file.path === 'proj/passwd')).toMatchObject({ type: 'symlink', size: 11 });
    expect(first.skipped).toEqual([{ path: 'proj/locked', size: 9, reason: 'unreadable' }]);
    expect(project.find((file) => file.path === 'proj/run.sh')?.mode).toBe(0o755);
    const expected = (await sh('sha256sum /workspace/proj/src/d3/f4.txt')).split(' ')[0];
    expect(project.find((file) => file.path === 'proj/src/d3/f4.txt')?.sha256).toBe(expected);
    expect((await scan(true)).files.some((file) => file.path === 'proj/.env')).toBe(true);

    const oneChanged: number[] = [];
    for (let round = 0; round < 5; round++) {
      await sh(`echo round ${round} >> /workspace/proj/src/d7/f${round}.txt`);
      const [result, ms] = await timed(() => scan());
      oneChanged.push(ms);
      expect(result.files.find((file) => file.path === `proj/src/d7/f${round}.txt`)?.sha256).not.toBe(
        first.files.find((file) => file.path === `proj/src/d7/f${round}.txt`)?.sha256,
      );
    }
    // A rescan that re-read all 10 MB would take well over this, even on a shared 2-core machine.
    // The scan's figures (first, unchanged, one changed) are bench/snapshots.bench.ts's.
    expect(median(oneChanged)).toBeLessThan(500);
  });

  it('archives the scanned files and restores them byte-identical after deletion', async () => {
    const before = await scan();
    const paths = before.files.filter((file) => file.path.startsWith('proj/')).map((file) => file.path);
    expect((await fetch(archiveUrl(), { method: 'POST', body: JSON.stringify({ paths }) })).status).toBe(401);
    const response = await fetch(archiveUrl(), { method: 'POST', body: JSON.stringify({ paths }), headers: auth() });
    expect(response.status).toBe(200);
    const tar = new Uint8Array(await response.arrayBuffer());
    await sh('rm -rf /workspace/proj/src /workspace/proj/run.sh /workspace/proj/passwd /workspace/proj/.gitignore');
    const put = await fetch(archiveUrl(), { method: 'PUT', body: tar, headers: auth() });
    const restored = (await put.json()) as { written: number };
    expect(restored).toEqual({ written: paths.length });
    const after = await scan();
    expect(after.files).toEqual(before.files);
    expect(await sh('stat -c %a /workspace/proj/run.sh && readlink /workspace/proj/passwd && id -u')).toBe(
      '755\n/etc/passwd\n1000\n',
    );
    expect(await sh('stat -c %u /workspace/proj/src/d1/f1.txt')).toBe('1000\n');
  });
});
