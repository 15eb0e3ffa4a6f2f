// A real Berth syncing with a hostile remote (issue 18, "Hostile input"): a loopback server that
// speaks the peer protocol but answers with a path escaping the project, a manifest over the
// contract's size, or blobs whose content does not match their hash. Each sync is refused with
// a reason, nothing is applied on this Berth (its files and snapshots stay as they were) and the
// remote is never asked to apply anything. The hostile side is a stand-in by nature; this Berth,
// its database and its workspace are real.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkDto, PeerStateDto, RemoteDto, SnapshotDto, SyncResultDto, SyncStatusDto } from '../contracts';
import { encodeBlobFrames } from './core/blob-frames';
import { json, newProject, on, readText, startSide, writeFile, type Side } from './sync-test-pair';

const EVIL_PROJECT = 'evilproject';
const sha = (char: string) => char.repeat(64);

type Scenario = 'escape' | 'huge' | 'bad-blob';

interface Hostile {
  url: string;
  scenario: Scenario;
  applies: number;
  server: Server;
}

function stateFor(scenario: Scenario): PeerStateDto {
  const project = { id: EVIL_PROJECT, name: 'evil', template: 'blank-node' as const };
  const entry = (path: string, hash = sha('a')) => ({ path, mode: 0o100644, size: 5, sha256: hash });
  switch (scenario) {
    case 'escape':
      return { project, stateId: 'evil-1', files: [entry('../../escaped.txt')], conversations: [] };
    case 'huge':
      // Over SYNC_MAX_MANIFEST_ENTRIES: refused by the contract's schema before anything else.
      return {
        project,
        stateId: 'evil-2',
        files: Array.from({ length: 200_001 }, (_, i) => entry(`f/${i}.txt`)),
        conversations: [],
      };
    case 'bad-blob':
      return { project, stateId: 'evil-3', files: [entry('planted.txt', sha('b'))], conversations: [] };
  }
}

async function startHostile(): Promise<Hostile> {
  const hostile = { url: '', scenario: 'escape' as Scenario, applies: 0, server: undefined as unknown as Server };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  hostile.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const url = req.url ?? '';
    const peer = `/api/v1/projects/${EVIL_PROJECT}/sync/peer/`;
    if (url === '/api/v1/me') return send(res, 200, { id: 'u1', email: 'evil@example.test', name: 'Evil' });
    if (url === '/api/v1/projects') {
      const now = new Date().toISOString();
      return send(res, 200, [
        { id: EVIL_PROJECT, name: 'evil', template: 'blank-node', createdAt: now, updatedAt: now, lastOpenedAt: null },
      ]);
    }
    if (url.startsWith(`${peer}state`)) return send(res, 200, stateFor(hostile.scenario));
    if (url === `${peer}blobs/missing`) return send(res, 200, { missing: [] });
    if (url === `${peer}conversations`) return send(res, 200, { conversations: [] });
    if (url === `${peer}blobs/read`) {
      // Claims to be blob bbbb…, holds something else.
      res.writeHead(200, { 'Content-Type': 'application/x-berth-blobs' });
      async function* lie() {
        yield { sha256: sha('b'), content: Buffer.from('not what the hash says') };
      }
      encodeBlobFrames(lie()).pipe(res);
      return;
    }
    if (url === `${peer}apply`) {
      hostile.applies += 1;
      return send(res, 200, { stateId: 'x', beforeSnapshotId: null, written: 0, deleted: 0 });
    }
    send(res, 404, { error: 'not_found', message: 'no' });
  });
  await new Promise<void>((resolve) => hostile.server.listen(0, '127.0.0.1', resolve));
  hostile.url = `http://127.0.0.1:${(hostile.server.address() as AddressInfo).port}`;
  return hostile;
}

let local: Side;
let hostile: Hostile;
let projectId: string;

beforeAll(async () => {
  [local, hostile] = await Promise.all([startSide(), startHostile()]);
  const remote = await json<RemoteDto>(
    await on(local, 'POST', '/api/v1/remotes', { url: hostile.url, token: 'berth_pat_evil-token', name: 'evil' }),
    201,
  );
  projectId = (await newProject(local, 'victim')).id;
  await writeFile(local, projectId, 'keep.txt', 'mine\n');
  await json<LinkDto>(
    await on(local, 'PUT', `/api/v1/projects/${projectId}/link`, {
      remoteId: remote.id,
      remoteProjectId: EVIL_PROJECT,
    }),
    200,
  );
}, 180_000);
afterAll(async () => {
  await local?.t.stop();
  await new Promise<void>((resolve) => hostile?.server.close(() => resolve()));
});

const snapshotsOf = async () =>
  json<SnapshotDto[]>(await on(local, 'GET', `/api/v1/projects/${projectId}/snapshots`), 200);

describe('a hostile remote', () => {
  it.each([
    ['a path escaping the project', 'escape' as const, /escaped\.txt|\.\./],
    ['a manifest over the contract size', 'huge' as const, /.+/],
    ['a blob whose content does not match its hash', 'bad-blob' as const, /hash|match/i],
  ])(
    '%s: refused with a reason, nothing applied on either side',
    async (_name, scenario, reason) => {
      hostile.scenario = scenario;
      hostile.applies = 0;
      const before = await snapshotsOf();
      const result = await json<SyncResultDto>(
        await on(local, 'POST', `/api/v1/projects/${projectId}/sync`, { mode: 'both', onConflict: 'remote' }),
        200,
      );
      expect(result.success).toBe(false);
      expect(result.errors.join(' ')).toMatch(reason);
      expect(result.filesDownloaded).toBe(0);
      expect(hostile.applies).toBe(0);
      expect(await readText(local, projectId, 'keep.txt')).toBe('mine\n');
      expect(await readText(local, projectId, 'planted.txt')).toBeNull();
      const after = await snapshotsOf();
      expect(after.filter((s) => s.label?.startsWith('before sync'))).toEqual(
        before.filter((s) => s.label?.startsWith('before sync')),
      );
      // The light says so, with the reason, until a sync works.
      const status = await json<SyncStatusDto>(await on(local, 'GET', `/api/v1/projects/${projectId}/sync`), 200);
      expect(status.status).toBe('error');
      expect(status.error).toMatch(reason);
    },
    120_000,
  );
});
