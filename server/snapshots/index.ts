// Snapshots: the workspace volume is the live copy; PostgreSQL keeps every project's files as
// manifests over content-addressed, compressed, deduplicated blobs (DESIGN.md, Snapshots).
// Imports contracts, core and db; workspaces and projects come in as interfaces. Its REST
// resource lives in server/http/snapshots.routes.ts.
export { createSnapshots, type SnapshotSettings, type SnapshotDeps } from './create-snapshots';
export { ProjectSnapshots } from './project-snapshots';
export { ProjectTransfer } from './project-transfer';
export { GitImport } from './git-import';
export { SnapshotService } from './snapshot-service';
export { SnapshotStore } from './snapshot-store';
export * from './zip';
