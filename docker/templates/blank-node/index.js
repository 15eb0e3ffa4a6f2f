// Your program starts here. `npm run dev` re-runs it whenever you save a file.
// It answers HTTP on PORT (default 3000), so the preview has something to show; replace it
// with whatever your program does.
import { createServer } from 'node:http';

const greeting = `Hello from Node.js ${process.version}`;
const port = Number(process.env.PORT) || 3000;

createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${greeting}\n`);
}).listen(port, () => console.log(`${greeting} — listening on http://localhost:${port}`));
