// PREVIEW_PORTS (issue 17 A6): by default only ports 1024–65535 get a preview (not ssh on 22,
// not a web server on 80); a narrower setting leaves the others out and refuses to revoke them.
import { describe, expect, it } from 'vitest';
import type { ListeningPort, WorkspaceStatusDto } from '../contracts';
import { createLogger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import { PreviewService, type PreviewOptions } from './preview-service';

const listening: ListeningPort[] = [22, 80, 3000, 5173, 5432].map(
  (port) => ({ port, address: '0.0.0.0' }) as ListeningPort,
);

function previewsWith(allowedPorts?: PreviewOptions['allowedPorts']) {
  const projects = { get: async () => ({}) };
  const workspaces = {
    status: (projectId: string): WorkspaceStatusDto => ({ projectId, state: 'running' }),
    agentEndpoint: () => ({ url: 'http://127.0.0.1:1', secret: 'x' }),
    agent: () => ({ request: async () => listening }),
    recordActivity: () => undefined,
    events: new TypedEmitter<{ onDidChangeStatus: WorkspaceStatusDto }>(),
  };
  return new PreviewService(
    projects,
    workspaces,
    { domain: 'localhost:3000', scheme: 'http', ideOrigin: 'http://localhost:3000', ttlMs: 60_000, allowedPorts },
    createLogger('silent'),
  );
}

describe('PREVIEW_PORTS', () => {
  it('offers only unprivileged ports by default', async () => {
    const previews = previewsWith();
    expect((await previews.list('alice', 'p1')).map((preview) => preview.port)).toEqual([3000, 5173, 5432]);
    await expect(previews.revoke('alice', 'p1', 22)).rejects.toMatchObject({ kind: 'bad_request', code: 'bad_port' });
    previews.dispose();
  });

  it('follows the configured ranges', async () => {
    const previews = previewsWith([
      [3000, 3000],
      [5000, 5999],
    ]);
    expect((await previews.list('alice', 'p1')).map((preview) => preview.port)).toEqual([3000, 5173, 5432]);
    const narrow = previewsWith([[5173, 5173]]);
    expect((await narrow.list('alice', 'p1')).map((preview) => preview.port)).toEqual([5173]);
    await expect(narrow.revoke('alice', 'p1', 3000)).rejects.toMatchObject({ kind: 'bad_request' });
    previews.dispose();
    narrow.dispose();
  });
});
