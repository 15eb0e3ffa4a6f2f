// Figure 5.1's measuring: saves of a 100 KB file through Berth (fs:write) and straight to the
// agent (PUT /fs/content), fs:locks as the floor of any file call, and both saves with a 10-byte
// file, in interleaved blocks.
import type { Agent } from 'node:http';
import type { AgentEndpoint } from '../../server/runtime';
import { rawPut } from './agent-direct';
import { call, type BenchSocket } from './bench-socket';
import type { Shell } from './shell';
import { timed } from './stats';

export const FILE_BYTES = 100 * 1024;
export const SAVES = 200;
export const SAVE_WARMUP = 20;
export const SAVE_BLOCK = 20;

export interface SaveSamples {
  berth: number[];
  raw: number[];
  locks: number[];
  berthTiny: number[];
  rawTiny: number[];
}

export interface SaveTarget {
  socket: BenchSocket;
  projectId: string;
  /** The keep-alive HTTP agent for the direct PUTs. */
  http: Agent;
  endpoint: AgentEndpoint;
  shell: Shell;
  timeoutMs: number;
}

/** Warm-up, then SAVES saves of each kind in interleaved blocks of SAVE_BLOCK; checks the saved sizes. */
export async function measureSaves({
  socket,
  projectId,
  http,
  endpoint,
  shell,
  timeoutMs,
}: SaveTarget): Promise<SaveSamples> {
  console.log(
    `── files: (1) ${SAVE_WARMUP} warm-up saves each, then ${SAVES} saves of ${FILE_BYTES / 1024} KB each in interleaved blocks of ${SAVE_BLOCK}`,
  );
  const base = Buffer.alloc(FILE_BYTES, 0);
  for (let i = 0; i < FILE_BYTES; i++) base[i] = i % 64 === 63 ? 0x0a : 0x61 + (i % 26);
  let counter = 0;
  /** 100 KB of text with a fresh counter at the start, so every save changes the content. */
  const nextContent = () => {
    const buffer = Buffer.from(base);
    buffer.write(String(++counter).padStart(10, '0'), 0, 'ascii');
    return buffer;
  };
  await shell.run('mkdir -p saves');
  const berthPath = 'saves/berth.txt';
  const rawPath = 'saves/raw.txt';
  let berthVersion: string | null = null;
  let rawVersion: string | null = null;
  const berthSave = async () => {
    const content = nextContent().toString('utf8');
    const { value, ms: took } = await timed(() =>
      call(socket, 'fs:write', { projectId, path: berthPath, content, baseVersion: berthVersion }, timeoutMs),
    );
    if (value.size !== FILE_BYTES) throw new Error(`fs:write wrote ${value.size} bytes, not ${FILE_BYTES}`);
    berthVersion = value.version;
    return took;
  };
  const rawSave = async () => {
    const content = nextContent();
    const { value, ms: took } = await timed(() => rawPut(http, endpoint, rawPath, content, rawVersion, timeoutMs));
    rawVersion = value;
    return took;
  };
  // The same saves with a 10-byte file split Berth's fixed cost from its per-byte cost.
  const tinyPaths = { berth: 'saves/tiny-berth.txt', raw: 'saves/tiny-raw.txt' };
  const tinyVersions: { berth: string | null; raw: string | null } = { berth: null, raw: null };
  const tinyContent = () => String(++counter).padStart(10, '0');
  const berthTiny = async () => {
    const content = tinyContent();
    const { value, ms: took } = await timed(() =>
      call(
        socket,
        'fs:write',
        { projectId, path: tinyPaths.berth, content, baseVersion: tinyVersions.berth },
        timeoutMs,
      ),
    );
    tinyVersions.berth = value.version;
    return took;
  };
  const rawTiny = async () => {
    const content = Buffer.from(tinyContent());
    const { value, ms: took } = await timed(() =>
      rawPut(http, endpoint, tinyPaths.raw, content, tinyVersions.raw, timeoutMs),
    );
    tinyVersions.raw = value;
    return took;
  };
  const locksCall = async () => (await timed(() => call(socket, 'fs:locks', { projectId }, timeoutMs))).ms;
  for (let i = 0; i < SAVE_WARMUP; i++) {
    await berthSave();
    await rawSave();
    await locksCall();
    await berthTiny();
    await rawTiny();
  }
  const saveSamples: SaveSamples = { berth: [], raw: [], locks: [], berthTiny: [], rawTiny: [] };
  for (let done = 0; done < SAVES; done += SAVE_BLOCK) {
    const n = Math.min(SAVE_BLOCK, SAVES - done);
    for (let i = 0; i < n; i++) saveSamples.berth.push(await berthSave());
    for (let i = 0; i < n; i++) saveSamples.raw.push(await rawSave());
    for (let i = 0; i < n; i++) saveSamples.locks.push(await locksCall());
    for (let i = 0; i < n; i++) saveSamples.berthTiny.push(await berthTiny());
    for (let i = 0; i < n; i++) saveSamples.rawTiny.push(await rawTiny());
  }
  const check = await shell.run(`wc -c < ${berthPath}; wc -c < ${rawPath}`);
  if (
    check.output
      .trim()
      .split(/\s+/)
      .some((size) => Number(size) !== FILE_BYTES)
  )
    throw new Error(`saved files have sizes ${check.output.trim()}`);
  return saveSamples;
}
