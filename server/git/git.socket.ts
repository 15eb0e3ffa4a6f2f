// Tells a project's tabs that its git state may have changed ('git:changed'), after any git route
// that changes it, so every open Source Control view refetches GET …/git/status.
import type { Disposer } from '../core/typed-emitter';
import { projectRoom, type BerthServer } from '../socket';
import type { GitService } from './git-service';

export function broadcastGitChanges(io: BerthServer, git: Pick<GitService, 'events'>): Disposer {
  return git.events.on('onDidChange', ({ projectId }) =>
    io.to(projectRoom(projectId)).emit('git:changed', { projectId }),
  );
}
