// The pages a preview host answers itself (unknown link, workspace stopped, nothing listening…):
// small HTML, framable by the IDE only, as a ServerResponse, on a raw socket, or as bytes.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { frameAncestors } from './preview-headers';

export interface PageReply {
  status: number;
  title: string;
  /** Trusted HTML (callers escape what they interpolate). */
  message: string;
}

export function htmlPage(title: string, message: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><meta name="viewport" content="width=device-width"><style>body{font:15px/1.5 system-ui,sans-serif;color:#333;max-width:36rem;margin:15vh auto;padding:0 1rem}code{background:#f2f2f2;padding:0 .3em;border-radius:3px}</style></head><body><h1>${escape(title)}</h1><p>${message}</p></body></html>`;
}

export const portClosedPage = (port: number): PageReply => ({
  status: 502,
  title: 'Nothing is listening yet',
  message: `Nothing is listening on port ${port} yet — run <code>npm run dev</code> in the terminal, then reload.`,
});

export const unreachablePage = (): PageReply => ({
  status: 502,
  title: 'Preview unreachable',
  message: 'The workspace did not answer. Try reloading in a moment.',
});

export const notFoundPage: PageReply = {
  status: 404,
  title: 'Preview not found',
  message: 'This preview link is unknown, expired or was revoked. Open the preview again from the IDE.',
};

export const badHostPage: PageReply = {
  status: 400,
  title: 'Bad preview address',
  message: 'This is not a valid preview address.',
};

export const badRequestPage: PageReply = {
  status: 400,
  title: 'Bad request',
  message: 'The preview could not read this request.',
};

export const headTooLargePage: PageReply = {
  status: 431,
  title: 'Request headers too large',
  message: 'The request headers are too large for a preview.',
};

export const notRunningPage: PageReply = {
  status: 503,
  title: 'The workspace is not running',
  message: 'The workspace is not running. Start it from the IDE, then reload.',
};

export function sendPage(res: ServerResponse, page: PageReply, ideOrigin: string): void {
  const body = htmlPage(page.title, page.message);
  res.statusCode = page.status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', frameAncestors(ideOrigin));
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The whole response as bytes for a raw socket; `close` adds Connection: close. */
export function pageBytes(page: PageReply, ideOrigin: string, close: boolean): string {
  const body = htmlPage(page.title, page.message);
  return (
    `HTTP/1.1 ${page.status} ${STATUS_CODES[page.status] ?? ''}\r\nContent-Type: text/html; charset=utf-8\r\n` +
    `Cache-Control: no-store\r\nContent-Security-Policy: ${frameAncestors(ideOrigin)}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`
  );
}

/** A whole response on a raw socket, then closed (an upgrade we cannot complete). */
export function sendPageOnSocket(socket: Duplex, page: PageReply, ideOrigin: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(pageBytes(page, ideOrigin, true));
}
