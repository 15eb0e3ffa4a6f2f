// Deployment hosts on node:http (deployment-hosts.ts says which requests come here): the sign-in
// hand-off /__berth/auth?t=<token> (traded for the host's own access cookie, then to /), private
// deployments (the owner's cookie checked on each request, stripped before the app), and the 404
// page for anything not served. Answers pass with the preview header rules (preview-headers.ts).
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { DEPLOY_AUTH_PATH } from '../contracts';
import type { DeploymentHosts, ResolvedDeployment } from './deployment-hosts';
import { hostOnlySetCookie, isDroppedAnswerHeader } from './preview-headers';
import { htmlPage, sendPage, sendPageOnSocket, type PageReply } from './preview-pages';
import { forwardHeaders, originForm } from './preview-proxy';

export interface DeploymentHttpOptions {
  /** Berth's origin: the 404 page links there (a private deployment is opened from Berth). */
  ideOrigin: string;
  /** https: the access cookie is Secure. */
  secure: boolean;
}

/** One page for unknown, stopped and private-without-access: it never tells which. */
export const deploymentNotFoundPage = (ideOrigin: string): PageReply => ({
  status: 404,
  title: 'Deployment not found',
  message: `Nothing is deployed here, or you may not see it. If it is yours, <a href="${escapeAttribute(ideOrigin)}">open it from Berth</a>.`,
});

export const deploymentUnreachablePage: PageReply = {
  status: 502,
  title: 'Deployment unreachable',
  message: 'The deployment did not answer. Try reloading in a moment.',
};

export async function handleDeploymentRequest(
  hosts: DeploymentHosts,
  label: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: DeploymentHttpOptions,
): Promise<void> {
  const notFound = deploymentNotFoundPage(options.ideOrigin);
  const target = originForm(req.url);
  if (target.split('?')[0] === DEPLOY_AUTH_PATH) return redeem(hosts, label, req, res, options);
  const resolved = await allowed(hosts, label, req, req.socket);
  if (!resolved) return sendPage(res, notFound, options.ideOrigin);
  const upstream = httpRequest({
    path: target,
    method: req.method,
    headers: forwardHeaders(req.headers, false),
    createConnection: (_options: unknown, callback: (error: Error | null, socket: Duplex) => void) => {
      hosts.connect(label).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error, undefined as unknown as Duplex),
      );
      return undefined;
    },
  });
  upstream.on('response', (response) => {
    const headers: OutgoingHttpHeaders = { ...response.headers };
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding']) delete headers[name];
    for (const name of Object.keys(headers)) if (isDroppedAnswerHeader(name)) delete headers[name];
    const cookies = response.headers['set-cookie'];
    if (cookies !== undefined) headers['set-cookie'] = cookies.map(hostOnlySetCookie);
    res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
    response.pipe(res);
    response.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (!res.headersSent) sendPage(res, deploymentUnreachablePage, options.ideOrigin);
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** A WebSocket (or other upgrade) to a deployment: the same checks, then a plain pipe. */
export async function handleDeploymentUpgrade(
  hosts: DeploymentHosts,
  label: string,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: DeploymentHttpOptions,
): Promise<void> {
  socket.on('error', () => socket.destroy());
  const resolved = await allowed(hosts, label, req, socket);
  if (!resolved) return sendPageOnSocket(socket, deploymentNotFoundPage(options.ideOrigin), options.ideOrigin);
  let upstream: Duplex;
  try {
    upstream = await hosts.connect(label);
  } catch {
    return sendPageOnSocket(socket, deploymentUnreachablePage, options.ideOrigin);
  }
  const headers = forwardHeaders(req.headers, true);
  let lines = `${req.method ?? 'GET'} ${originForm(req.url)} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(headers))
    for (const one of Array.isArray(value) ? value : [value]) lines += `${name}: ${String(one)}\r\n`;
  upstream.write(`${lines}\r\n`);
  if (head.length > 0) upstream.write(head);
  upstream.on('error', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  upstream.pipe(socket);
  socket.pipe(upstream);
}

/** The deployment if this request may reach it: public, or private and the owner's cookie is there. */
async function allowed(
  hosts: DeploymentHosts,
  label: string,
  req: IncomingMessage,
  connection: Duplex,
): Promise<ResolvedDeployment | null> {
  const resolved = hosts.known(connection, label) ?? (await hosts.resolve(connection, label));
  if (!resolved) return null;
  if (!resolved.private) return resolved;
  return (await hosts.lookup.access.userOf(req.headers.cookie, label)) === resolved.ownerId ? resolved : null;
}

/** /__berth/auth?t=<token>: the owner's token for this host becomes its cookie, then to /. */
async function redeem(
  hosts: DeploymentHosts,
  label: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: DeploymentHttpOptions,
): Promise<void> {
  const token = new URL(originForm(req.url), 'http://deployment').searchParams.get('t') ?? '';
  const traded = await hosts.lookup.access.redeem(token, label);
  const resolved = traded ? await hosts.resolve(req.socket, label) : null;
  if (!traded || !resolved || resolved.ownerId !== traded.userId) {
    const page = deploymentNotFoundPage(options.ideOrigin);
    res.statusCode = page.status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(htmlPage(page.title, page.message));
    return;
  }
  res.writeHead(302, {
    Location: '/',
    'Set-Cookie': hosts.lookup.access.setCookie(traded.cookie, traded.maxAgeSeconds, options.secure),
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end();
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
