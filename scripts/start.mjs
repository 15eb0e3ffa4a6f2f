// `npm start`: install what is missing, build when the sources changed, run the production server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from './build.mjs';
import { root } from './lib.mjs';

await build();
const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist', 'server.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...process.env },
});
// Forward signals so the server shuts down cleanly (and stops the embedded database).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
