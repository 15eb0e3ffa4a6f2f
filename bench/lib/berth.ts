// The Berth side of the workspace benches: a production server with its own embedded
// PostgreSQL and the workspace image, and projects through REST. The Socket.IO client that acts
// like the browser is bench-socket.ts; reading terminal output, terminal-output.ts.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ProjectDto } from '../../server/contracts';
import type { Defer } from './cleanup';
import {
  benchDocker,
  benchProjectIds,
  benchScopes,
  removeProjectResources,
  removeScopeNetworks,
  waitProjectGone,
} from './docker';
import { startBenchPostgres } from './postgres';
import { freePort, spawnServer, waitForOk, type Spawned } from './process';
import { ensureBuilt, root, serverBundle, tempDir } from './repo';
import { createBenchUser, type BenchUser } from './seed';

// The socket helpers too, for a bench that takes all it needs from here (ai.bench.ts).
export { call, connectSocket, waitForState, type BenchSocket } from './bench-socket';

export interface BenchServer {
  base: string;
  server: Spawned;
  user: BenchUser;
  /** WORKSPACE_SCOPE of this server: it adopts and reaps only workspaces labelled with it. */
  scope: string;
  /** Its embedded PostgreSQL (for benches that time the server's own queries beside it). */
  databaseUrl: string;
}

/**
 * The address of a production server on `port` on loopback and its environment: this process's,
 * with its data in `dir`, its database at `databaseUrl`, warnings only, and `extra` on top.
 */
export function benchServerEnv(
  port: number,
  dir: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
): { base: string; env: NodeJS.ProcessEnv } {
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BERTH_URL: base,
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    // Benches keep many workspaces of one user running: measure speed, not the quota.
    WORKSPACE_MAX_RUNNING_PER_USER: '0',
    ...extra,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  return { base, env };
}

/**
 * The built production server (dist/server.mjs) on a free port, with its own embedded
 * PostgreSQL, the given workspace image and a signed-up user with a token. It gets a scope of
 * its own: a server reconciles at start-up and removes every workspace of its scope whose
 * project it does not know, and the engine is shared (tests, e2e, other servers). Its shared
 * workspace network (`berth-ws-net-<scope>`, kept by the driver for the next workspace) is
 * removed at clean-up, after the projects created later are deleted, and by the last sweep
 * if that failed.
 */
export async function startBenchServer(
  name: string,
  image: string,
  defer: Defer,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  await ensureBuilt();
  const dir = tempDir(`berth-bench-${name}-`, defer);
  const db = await startBenchPostgres(dir, defer);
  const scope = `bench-${randomBytes(6).toString('hex')}`;
  benchScopes.add(scope);
  const port = await freePort();
  const { base, env } = benchServerEnv(port, dir, db.url, {
    ...extraEnv,
    WORKSPACE_IMAGE: image,
    WORKSPACE_SCOPE: scope,
  });
  const server = spawnServer(process.execPath, ['--enable-source-maps', serverBundle], { cwd: root, env }, defer);
  // Undone after every project's DELETE (defers run in reverse) and before the server stops.
  defer(`remove the shared network of scope ${scope}`, () => removeScopeNetworks(benchDocker(), scope));
  await waitForOk(`${base}/api/ready`, server, { timeoutMs: 120_000 });
  const user = await createBenchUser(base);
  return { base, server, user, scope, databaseUrl: db.url };
}

// ── REST ──────────────────────────────────────────────────────────────────────────────

/** POST /api/v1/projects (blank-node unless `template` says otherwise); DELETE is registered with `defer` (and waits for the container and volume to go). */
export async function createProject(
  bench: BenchServer,
  docker: Dockerode,
  name: string,
  defer: Defer,
  template = 'blank-node',
): Promise<{ project: ProjectDto; remove: () => Promise<number> }> {
  const res = await fetch(`${bench.base}/api/v1/projects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, template }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/v1/projects: ${res.status} ${text.slice(0, 300)}`);
  return trackProject(bench, docker, JSON.parse(text) as ProjectDto, defer);
}

/** A project the server made (POST, duplicate, import): its DELETE is registered with `defer` (and waits for the container and volume to go). */
export function trackProject(
  bench: BenchServer,
  docker: Dockerode,
  project: ProjectDto,
  defer: Defer,
): { project: ProjectDto; remove: () => Promise<number> } {
  benchProjectIds.add(project.id);
  let removing: Promise<number> | undefined;
  const remove = () =>
    (removing ??= (async () => {
      if (!bench.server.hasExited()) {
        const del = await fetch(`${bench.base}/api/v1/projects/${project.id}`, {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${bench.user.token}` },
          signal: AbortSignal.timeout(10_000),
        }).catch((error: Error) => error);
        if (del instanceof Error || del.status !== 204) {
          console.error(
            `[bench] DELETE project ${project.id}: ${del instanceof Error ? del.message : del.status}; removing its resources directly`,
          );
          await removeProjectResources(docker, project.id);
          return 0;
        }
        return waitProjectGone(docker, project.id);
      }
      await removeProjectResources(docker, project.id);
      return 0;
    })());
  defer(`delete project ${project.id}`, async () => void (await remove()));
  return { project, remove };
}
