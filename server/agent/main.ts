// The workspace agent: the container's main process (under tini). One port, one secret.
// It imports nothing from the server but server/contracts/ (bundled into one file).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { AGENT_PORT } from '../contracts/agent';
import { serveConnection } from './connection';
import { health, rpcHandlers } from './rpc-handlers';
import { createSecretCheck } from './secret-check';

const secret = process.env.BERTH_AGENT_SECRET ?? '';
const port = Number(process.env.BERTH_AGENT_PORT ?? AGENT_PORT);
const isAuthorised = createSecretCheck(secret);
// The secret must not leak to processes the user starts from this one.
delete process.env.BERTH_AGENT_SECRET;

const server = createServer((req, res) => {
  if (!isAuthorised(req)) {
    res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unauthorised');
    return;
  }
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(health()));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
});

const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/connect' || !isAuthorised(req)) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, rpcHandlers));
});

server.listen(port, '0.0.0.0', () => console.log(JSON.stringify({ msg: 'berth agent listening', port })));

const stop = () => {
  sockets.clients.forEach((client) => client.terminate());
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
