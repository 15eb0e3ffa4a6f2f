'use client';
// "Run": a terminal titled "dev" that installs dependencies when node_modules is missing and
// starts the dev server. The terminal panel picks the new terminal up from `terminal:updated`.
import { call, type WorkbenchSocket } from '../workbench-socket';

export async function runDevServer(socket: WorkbenchSocket, projectId: string): Promise<string> {
  const entries = await call(socket, 'fs:list', { projectId, path: '' });
  const installed = entries.some((entry) => entry.name === 'node_modules');
  // berth-install (in the workspace image) copies a template's prepared dependencies, else runs npm install.
  const command = installed ? 'npm run dev' : 'berth-install && npm run dev';
  const terminal = await call(socket, 'terminal:create', { projectId, cols: 80, rows: 24, title: 'dev' });
  await call(socket, 'terminal:input', { terminalId: terminal.id, data: `${command}\r` });
  return terminal.id;
}
