// The floor for any proxy on this machine: a separate Node process that accepts TCP and pipes
// each connection to a fixed upstream (net.createServer → net.connect, no HTTP at all). Whatever
// Berth does per request comes on top of this copy.
import type { Defer } from './cleanup';
import { freePort, spawnServer, waitForOk, type Spawned } from './process';
import { root } from './repo';

const PIPE = `const net=require('net');const [port,host,to]=process.argv.slice(1);
net.createServer((c)=>{const u=net.connect(Number(to),host);c.setNoDelay(true);u.setNoDelay(true);
c.pipe(u);u.pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy());c.on('close',()=>u.destroy());u.on('close',()=>c.destroy());})
.listen(Number(port),'127.0.0.1');`;

/** A pipe process on a free loopback port to host:port; resolves once a GET / through it answers 200. */
export async function startTcpPipe(
  host: string,
  port: number,
  defer: Defer,
): Promise<{ port: number; process: Spawned }> {
  const listenPort = await freePort();
  const spawned = spawnServer(
    process.execPath,
    ['-e', PIPE, String(listenPort), host, String(port)],
    { cwd: root, env: process.env },
    defer,
  );
  await waitForOk(`http://127.0.0.1:${listenPort}/`, spawned, { timeoutMs: 10_000 });
  return { port: listenPort, process: spawned };
}
