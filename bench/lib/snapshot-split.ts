// Where a first full snapshot's time goes, measured piece by piece outside the server with the
// server's own code: the agent's snapshot.scan with an empty hash cache (a restarted agent) and
// with a warm one, on a direct agent connection; the agent's tar stream of every file
// (AgentArchiveClient.read, as storeMissingContent reads it); encodeBlob (sha256 + gzip level 4,
// synchronous on the server's event loop) of all that content. What is left of the POST is
// PostgreSQL (missingBlobs, putBlobs, the manifest transaction, prune) and HTTP.
import type Dockerode from 'dockerode'
import { containerName } from '../../server/runtime/docker/names'
import { AgentArchiveClient } from '../../server/snapshots/agent-archive-client'
import { encodeBlob } from '../../server/snapshots/blob-codec'
import { AgentConnection } from '../../server/workspaces/agent-connection'
import { agentOf } from './agent-direct'
import type { BenchSocket } from './berth'
import { dropWorkspace, openUntilRunning } from './snapshot-project'
import { ms, summarize } from './stats'
import { printTable } from './table'

const MAX_FILE_BYTES = 20 * 1024 * 1024 // SNAPSHOT_MAX_FILE_MB's default
const REPEATS = 3

export interface SnapshotSplit {
  files: number
  coldScanMs: number
  warmScanMs: number
  archiveReadMs: number
  encodeMs: number
  storedBytes: number
}

/** Restarts the workspace (volume kept: the agent's hash cache is empty again), then times each piece; the workspace runs afterwards. */
export async function splitFullSnapshot(socket: BenchSocket, docker: Dockerode, projectId: string): Promise<SnapshotSplit> {
  await dropWorkspace(socket, docker, projectId, true)
  const started = await openUntilRunning(socket, projectId, 'workspace:open')
  if (started.status.restoredFrom) throw new Error('the restart restored a snapshot: the volume was not kept')
  const endpoint = await agentOf(docker.getContainer(containerName(projectId)))
  const agent = await AgentConnection.connect(endpoint)
  const archive = new AgentArchiveClient()
  try {
    const scan = () => agent.request('snapshot.scan', { maxFileBytes: MAX_FILE_BYTES, includeEnv: false }, 60_000)
    let t = performance.now()
    const { files } = await scan()
    const coldScanMs = performance.now() - t
    const warm: number[] = []
    const reads: number[] = []
    const encodes: number[] = []
    let storedBytes = 0
    for (let i = 0; i < REPEATS; i++) {
      t = performance.now()
      await scan()
      warm.push(performance.now() - t)
      t = performance.now()
      const contents: Buffer[] = []
      for await (const item of archive.read(endpoint, files.map((file) => file.path))) contents.push(item.content)
      reads.push(performance.now() - t)
      if (contents.length !== files.length) throw new Error(`archive read ${contents.length} of ${files.length} files`)
      t = performance.now()
      storedBytes = contents.reduce((sum, content) => sum + encodeBlob(content).storedSize, 0)
      encodes.push(performance.now() - t)
    }
    return { files: files.length, coldScanMs, warmScanMs: summarize(warm).p50, archiveReadMs: summarize(reads).p50, encodeMs: summarize(encodes).p50, storedBytes }
  } finally {
    archive.dispose()
    agent.close()
  }
}

export function printSplit(split: SnapshotSplit, fullMs: number): void {
  const parts = split.coldScanMs + split.archiveReadMs + split.encodeMs
  printTable(
    `Figure 6.1, where the time goes — the pieces of a first snapshot of ${split.files} files, timed one by one outside the server (p50 of ${REPEATS} except the cold scan)`,
    ['piece', 'time'],
    [
      ['agent snapshot.scan, empty hash cache (restarted agent): walk + sha256 of every file', ms(split.coldScanMs)],
      ['  same, warm hash cache (walk + lstat only)', ms(split.warmScanMs)],
      ['agent POST /snapshot/archive of every file, read to the end (AgentArchiveClient.read)', ms(split.archiveReadMs)],
      ['encodeBlob (sha256 + gzipSync level 4) of all that content, one thread', ms(split.encodeMs)],
      ['sum of the three', ms(parts)],
      ['Berth POST /snapshots → 201, p50 of figure 6.1', ms(fullMs)],
      ['  rest: PostgreSQL (missingBlobs, putBlobs, manifest, prune), HTTP, event-loop waits', ms(fullMs - parts)],
    ],
    [`encodeBlob stored ${(split.storedBytes / 1024 / 1024).toFixed(2)} MiB here; the server does the same work on its event loop, between the archive stream's chunks.`],
  )
}
