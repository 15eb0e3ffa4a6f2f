// `npm start`: install what is missing, build when the sources changed, make sure a Docker
// engine and the workspace image are there, then run the production server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from './build.mjs';
import { ensureDockerEngine } from './docker-engine.mjs';
import { root, say } from './lib.mjs';
import { ensureWorkspaceImage } from './workspace-image.mjs';

await build();
let workspaceImage = process.env.WORKSPACE_IMAGE;
try {
  await ensureDockerEngine();
  workspaceImage ??= await ensureWorkspaceImage();
} catch (error) {
  // Berth still starts: pages and the API work, workspaces answer "Docker engine unreachable".
  console.error(`\n${error.message}\n`);
  say('starting without a Docker engine: projects cannot run until one answers');
}

const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist', 'server.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...process.env,
    ...(workspaceImage ? { WORKSPACE_IMAGE: workspaceImage } : {}),
  },
});
// Forward signals so the server shuts down cleanly (and stops the embedded database).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
