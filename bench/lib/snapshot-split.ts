// Where a first full snapshot's time goes, measured piece by piece outside the server with the
// server's own code: the agent's snapshot.scan with an empty hash cache (a restarted agent) and
// with a warm one, on a direct agent connection; the agent's tar stream of every file
// (AgentArchiveClient.read, as storeMissingContent reads it); encodeBlob (sha256 + gzip level 4,
// synchronous on the server's event loop) of all that content; and the server's PostgreSQL
// calls (SnapshotStore on the server's own database): missingBlobs of every hash, putBlobs of
// the same amount of new content (each file with one byte appended, so every blob is new),
// latest + manifest of the previous snapshot, and the manifest transaction (create; the row is
// deleted again so the project's history stays as the server made it).
import type Dockerode from 'dockerode';
import { containerName } from '../../server/runtime/docker/names';
import { AgentArchiveClient } from '../../server/snapshots/agent-archive-client';
import { createPrismaClient } from '../../server/db/prisma';
import { encodeBlob, type EncodedBlob } from '../../server/snapshots/blob-codec';
import { S_IFLNK, S_IFREG } from '../../server/snapshots/snapshot-tar';
import { SnapshotStore } from '../../server/snapshots/snapshot-store';
import { AgentConnection } from '../../server/workspaces/agent-connection';
import { agentOf } from './agent-direct';
import type { BenchSocket } from './bench-socket';
import type { BenchServer } from './berth';
import { dropWorkspace, openUntilRunning } from './snapshot-project';
import { ms, summarize } from './stats';
import { printTable } from './table';

const MAX_FILE_BYTES = 20 * 1024 * 1024; // SNAPSHOT_MAX_FILE_MB's default
const REPEATS = 3;
/** As SnapshotService: blobs go in statements of about this many bytes. */
const BLOB_BATCH_BYTES = 8 * 1024 * 1024;

export interface SnapshotSplit {
  files: number;
  coldScanMs: number;
  warmScanMs: number;
  archiveReadMs: number;
  encodeMs: number;
  storedBytes: number;
  missingBlobsMs: number;
  putBlobsMs: number;
  previousManifestMs: number;
  createManifestMs: number;
}

/** Restarts the workspace (volume kept: the agent's hash cache is empty again), then times each piece; the workspace runs afterwards. */
export async function splitFullSnapshot(
  bench: BenchServer,
  socket: BenchSocket,
  docker: Dockerode,
  projectId: string,
): Promise<SnapshotSplit> {
  await dropWorkspace(socket, docker, projectId, true);
  const started = await openUntilRunning(socket, projectId, 'workspace:open');
  if (started.status.restoredFrom) throw new Error('the restart restored a snapshot: the volume was not kept');
  const endpoint = await agentOf(docker.getContainer(containerName(projectId)));
  const agent = await AgentConnection.connect(endpoint);
  const archive = new AgentArchiveClient();
  try {
    const scan = () => agent.request('snapshot.scan', { maxFileBytes: MAX_FILE_BYTES, includeEnv: false }, 60_000);
    let t = performance.now();
    const { files } = await scan();
    const coldScanMs = performance.now() - t;
    const warm: number[] = [];
    const reads: number[] = [];
    const encodes: number[] = [];
    let storedBytes = 0;
    let contents: Buffer[] = [];
    for (let i = 0; i < REPEATS; i++) {
      t = performance.now();
      await scan();
      warm.push(performance.now() - t);
      t = performance.now();
      contents = [];
      for await (const item of archive.read(
        endpoint,
        files.map((file) => file.path),
      ))
        contents.push(item.content);
      reads.push(performance.now() - t);
      if (contents.length !== files.length) throw new Error(`archive read ${contents.length} of ${files.length} files`);
      t = performance.now();
      storedBytes = contents.reduce((sum, content) => sum + encodeBlob(content).storedSize, 0);
      encodes.push(performance.now() - t);
    }
    const manifest = files.map((file) => ({
      path: file.path,
      mode: (file.type === 'symlink' ? S_IFLNK : S_IFREG) | (file.mode & 0o7777),
      size: file.size,
      sha256: file.sha256,
    }));
    const store = await storeSplit(bench.databaseUrl, projectId, manifest, contents);
    return {
      files: files.length,
      coldScanMs,
      warmScanMs: summarize(warm).p50,
      archiveReadMs: summarize(reads).p50,
      encodeMs: summarize(encodes).p50,
      storedBytes,
      ...store,
    };
  } finally {
    archive.dispose();
    agent.close();
  }
}

type StoreSplit = Pick<SnapshotSplit, 'missingBlobsMs' | 'putBlobsMs' | 'previousManifestMs' | 'createManifestMs'>;

async function storeSplit(
  databaseUrl: string,
  projectId: string,
  manifest: Parameters<SnapshotStore['create']>[0]['files'],
  contents: Buffer[],
): Promise<StoreSplit> {
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  try {
    const store = new SnapshotStore(prisma);
    // Warm, like the server's long-lived client: connections open, each query shape seen once.
    await store.missingBlobs(manifest.slice(0, 10).map((file) => file.sha256));
    const previous = await store.latest(projectId);
    if (!previous) throw new Error('the project has no snapshot yet');
    await store.manifest(previous.id);
    const missing: number[] = [];
    const loads: number[] = [];
    let t = 0;
    for (let i = 0; i < REPEATS; i++) {
      t = performance.now();
      await store.missingBlobs(manifest.map((file) => file.sha256));
      missing.push(performance.now() - t);
      t = performance.now();
      await store.latest(projectId).then((latest) => store.manifest(latest!.id));
      loads.push(performance.now() - t);
    }
    // New content of the same size and kind (one byte appended), encoded before the clock starts.
    const fresh = contents.map((content) => encodeBlob(Buffer.concat([content, Buffer.from([0x0a])])));
    t = performance.now();
    let batch: EncodedBlob[] = [];
    let batchBytes = 0;
    for (const blob of fresh) {
      batch.push(blob);
      batchBytes += blob.storedSize;
      if (batchBytes >= BLOB_BATCH_BYTES) {
        await store.putBlobs(batch);
        batch = [];
        batchBytes = 0;
      }
    }
    await store.putBlobs(batch);
    const putBlobsMs = performance.now() - t;
    t = performance.now();
    const made = await store.create({
      projectId,
      reason: 'manual',
      label: 'bench split (deleted)',
      files: manifest,
      skipped: [],
      newBytes: 0,
      changedFiles: 0,
    });
    const createManifestMs = performance.now() - t;
    await prisma.snapshot.delete({ where: { id: made.id } });
    return {
      missingBlobsMs: summarize(missing).p50,
      putBlobsMs,
      previousManifestMs: summarize(loads).p50,
      createManifestMs,
    };
  } finally {
    await prisma.$disconnect();
  }
}

export function printSplit(split: SnapshotSplit, fullMs: number): void {
  const db = split.missingBlobsMs + split.putBlobsMs + split.previousManifestMs + split.createManifestMs;
  const parts = split.coldScanMs + split.archiveReadMs + split.encodeMs + db;
  printTable(
    `Figure 6.1, where the time goes — the pieces of a first snapshot of ${split.files} files, timed one by one outside the server (p50 of ${REPEATS}; cold scan, putBlobs and create once)`,
    ['piece', 'time'],
    [
      ['agent snapshot.scan, empty hash cache (restarted agent): walk + sha256 of every file', ms(split.coldScanMs)],
      ['  same, warm hash cache (walk + lstat only)', ms(split.warmScanMs)],
      [
        'agent POST /snapshot/archive of every file, read to the end (AgentArchiveClient.read)',
        ms(split.archiveReadMs),
      ],
      ['encodeBlob (sha256 + gzipSync level 4) of all that content, one thread', ms(split.encodeMs)],
      [`PostgreSQL: missingBlobs of ${split.files} hashes`, ms(split.missingBlobsMs)],
      [
        `PostgreSQL: putBlobs of ${(split.storedBytes / 1024 / 1024).toFixed(2)} MiB of new blobs (8 MB statements)`,
        ms(split.putBlobsMs),
      ],
      ['PostgreSQL: latest + manifest of the previous snapshot', ms(split.previousManifestMs)],
      [`PostgreSQL: create (snapshot row + ${split.files}-row manifest, one transaction)`, ms(split.createManifestMs)],
      ['sum of the pieces', ms(parts)],
      ['Berth POST /snapshots → 201, p50 of figure 6.1', ms(fullMs)],
      [
        '  POST − pieces: HTTP, prune, waits (negative: pieces overlap in the server, or ran under other load)',
        ms(fullMs - parts),
      ],
    ],
    [
      `encodeBlob stored ${(split.storedBytes / 1024 / 1024).toFixed(2)} MiB here; the server does the same work on its event loop, between the archive stream's chunks.`,
    ],
  );
}
