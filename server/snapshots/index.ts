// Snapshots: the workspace volume is the live copy; PostgreSQL keeps every project's files as
// manifests over content-addressed, compressed, deduplicated blobs (DESIGN.md, Snapshots).
// Imports contracts, core and db; workspaces and projects come in as interfaces. Its REST
// resource lives in server/http/snapshots.routes.ts. Import/export (ZIP, bundles, git) is
// server/transfer/, which builds on the store and blob helpers exported here.
export { createSnapshots, type SnapshotSettings, type SnapshotDeps } from './create-snapshots';
export { ProjectSnapshots } from './project-snapshots';
export { SnapshotService, type TakeOptions } from './snapshot-service';
export { SnapshotStore, type ManifestEntry } from './snapshot-store';
export { BlobWriter } from './blob-writer';
export { sha256Hex } from './blob-codec';
export { isSymlinkMode, S_IFLNK, S_IFMT, S_IFREG } from './snapshot-tar';
