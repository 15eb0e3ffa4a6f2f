// The workspace agent: the container's main process (under tini). One port, one secret.
// It imports nothing from the server but server/contracts/ (bundled into one file).
import { AGENT_PORT } from '../contracts/agent';
import { createAgentServer } from './agent-server';
import { ConnectionHub } from './connection';
import { createFsHandlers } from './fs-handlers';
import { PathGuard } from './fs/path-guard';
import { WorkspaceWatcher } from './fs/watcher';
import { createHttpRoutes } from './http-routes';
import { PortPoller } from './ports/port-scanner';
import { createPreviewTunnel } from './preview/preview-tunnel';
import { health, rpcHandlers } from './rpc-handlers';
import { createSecretCheck } from './secret-check';
import { createSnapshotHandlers } from './snapshot/scan-handler';
import { SnapshotScanner } from './snapshot/scanner';

const secret = process.env.BERTH_AGENT_SECRET ?? '';
const port = Number(process.env.BERTH_AGENT_PORT ?? AGENT_PORT);
// Configurable so the agent can run outside a container (tests, local development).
const workspaceRoot = process.env.BERTH_WORKSPACE_ROOT || '/workspace';
// In a container every interface is the container's own; outside one (the local-process driver)
// the agent listens on loopback only.
const listenHost = process.env.BERTH_AGENT_HOST || '0.0.0.0';
const isAuthorised = createSecretCheck(secret);
// The secret must not leak to processes the user starts from this one.
delete process.env.BERTH_AGENT_SECRET;

const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ msg, ...fields }));
const guard = new PathGuard(workspaceRoot);
let watcher: WorkspaceWatcher | undefined;
// Declared before the hub (ports.list answers from it); polls only while a connection is open.
const ports: PortPoller = new PortPoller({
  excludePort: port,
  active: () => hub.size > 0,
  onChange: (list) => hub.broadcast('ports.changed', list),
});
const hub = new ConnectionHub({
  ...rpcHandlers,
  ...createFsHandlers({ guard, watch: async (path) => watcher?.watchOnRequest(path) }),
  'ports.list': () => ports.list(),
  // One scanner for the agent's life: its hash cache makes repeated scans cheap.
  ...createSnapshotHandlers(new SnapshotScanner(guard)),
});
const route = createHttpRoutes({ guard, health });
const tunnel = createPreviewTunnel({ ownPort: () => port });
const { server, sockets } = createAgentServer({ isAuthorised, route, tunnel, hub, log });

server.listen(port, listenHost, () => log('berth agent listening', { port }));
ports.start();

// Watching starts after listening: a big tree must not delay the agent's health check.
guard
  .realRoot()
  .then(async (root) => {
    watcher = new WorkspaceWatcher({ root, log, onChanges: (changes) => hub.broadcast('fs.changed', changes) });
    const startedAt = Date.now();
    await watcher.start();
    log('file watcher ready', { watchers: watcher.watchedCount, ms: Date.now() - startedAt });
  })
  .catch((error: unknown) => log('file watcher failed to start', { error: String(error) }));

const stop = () => {
  watcher?.dispose();
  ports.dispose();
  hub.closeAll();
  sockets.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
