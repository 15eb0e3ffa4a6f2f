// Tells a project's tabs that its git state may have changed ('git:changed'), after any git route
// that changes it, so every open Source Control view refetches GET …/git/status; and, while a
// fetch, pull or push runs, git's progress ('git:progress'). The project's room holds only its
// owner's tabs (workspace:open checks the owner).
import type { Disposer } from '../core/typed-emitter';
import { projectRoom, type BerthServer } from '../socket';
import type { GitService } from './git-service';

export function broadcastGitChanges(io: BerthServer, git: Pick<GitService, 'events'>): Disposer {
  const disposers = [
    git.events.on('onDidChange', ({ projectId }) => io.to(projectRoom(projectId)).emit('git:changed', { projectId })),
    git.events.on('onProgress', (progress) => io.to(projectRoom(progress.projectId)).emit('git:progress', progress)),
  ];
  return () => disposers.forEach((dispose) => dispose());
}
