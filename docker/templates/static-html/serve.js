// A tiny static file server with no dependencies: serves this folder on PORT (default 3000).
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

const server = http.createServer((req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return res.writeHead(400).end('Bad request');
  }
  let file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  if (!file.startsWith(root + path.sep)) return res.writeHead(403).end('Forbidden');
  fs.stat(file, (error, stat) => {
    if (!error && stat.isDirectory()) file = path.join(file, 'index.html');
    const stream = fs.createReadStream(file);
    stream.on('open', () => {
      res.writeHead(200, {
        'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      stream.pipe(res);
    });
    stream.on('error', () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found'));
  });
});

const port = Number(process.env.PORT) || 3000;
// Any address works for Berth's preview (it connects to 127.0.0.1 inside the container);
// 0.0.0.0 also lets tools on the container's network reach it.
server.listen(port, '0.0.0.0', () => console.log(`Serving ${root} on http://localhost:${port}`));
