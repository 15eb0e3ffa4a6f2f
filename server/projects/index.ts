// Projects: ownership-scoped CRUD and change events. Owns the Project table.
// Imports db, core and contracts only; its socket adapter lives beside the service,
// its REST resource in server/http/projects.routes.ts.
export { ProjectService, toProjectDto, type ProjectEvents } from './project-service';
export { registerProjectSocketHandlers, broadcastProjectChanges } from './projects.socket';
