// Berth's static file server for deployed static sites and Vite builds, as source text: it is
// written into each deployment image (/opt/berth/deploy/serve-static.cjs) and run by the image's
// Node. A string, not a file beside this one, so it survives bundling Berth's server. No
// dependencies; serves one folder on PORT, refuses paths outside it, and answers index.html for
// extension-less paths that are not files (client-side routing of single-page apps).
export const STATIC_SERVER_PATH = '/opt/berth/deploy/serve-static.cjs';

export const STATIC_SERVER_SOURCE = String.raw`'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] || '.');
const port = Number(process.env.PORT) || 3000;
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.woff': 'font/woff', '.woff2': 'font/woff2', '.wasm': 'application/wasm',
  '.map': 'application/json', '.webmanifest': 'application/manifest+json',
};

function fileFor(pathname) {
  const file = path.resolve(root, '.' + pathname);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const stat = fs.statSync(file);
    if (stat.isFile()) return file;
    if (stat.isDirectory() && fs.statSync(path.join(file, 'index.html')).isFile()) return path.join(file, 'index.html');
  } catch {}
  return undefined;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405, { Allow: 'GET, HEAD' }).end();
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    return res.writeHead(400).end('Bad request');
  }
  let file = fileFor(pathname);
  if (file === null) return res.writeHead(403).end('Forbidden');
  if (file === undefined && !path.extname(pathname)) file = fileFor('/index.html');
  if (!file) return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  const stat = fs.statSync(file);
  const hashed = /\/assets\//.test(pathname);
  res.writeHead(200, {
    'Content-Type': types[path.extname(file).toLowerCase()] || 'application/octet-stream',
    'Content-Length': stat.size,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
});
server.listen(port, '0.0.0.0', () => console.log('Serving ' + root + ' on port ' + port));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
`;
