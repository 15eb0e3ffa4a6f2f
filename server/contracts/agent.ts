// The wire contract between Berth's server and the workspace agent inside each container:
// one WebSocket at /connect carrying JSON requests, responses and events.
import { z } from 'zod';
import { MAX_PATH_LENGTH, type FileChange, type FileEntry } from './files';
import type { SkipReason } from './snapshots';
import type { ListeningPort } from './preview';

export const AGENT_PORT = 7777;
export const AGENT_PROTOCOL_VERSION = 1;

export const agentRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type AgentRequest = z.infer<typeof agentRequestSchema>;

export const agentResponseSchema = z.union([
  z.object({ id: z.number().int(), result: z.unknown() }),
  z.object({ id: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type AgentResponse = z.infer<typeof agentResponseSchema>;

export const agentEventSchema = z.object({ event: z.string(), data: z.unknown() });
export type AgentEvent = z.infer<typeof agentEventSchema>;

export const agentInboundSchema = z.union([agentResponseSchema, agentEventSchema]);

export interface AgentHealth {
  status: 'ok';
  protocol: number;
  uptimeMs: number;
  pid: number;
  node: string;
}

/** Methods the agent answers, with their params and results. Paths are relative to /workspace. */
export interface AgentMethods {
  ping: { params: { sentAt: number }; result: { sentAt: number; agentTime: number } };
  health: { params: undefined; result: AgentHealth };
  /** Folders first, then by name (code-unit order); a symlinked folder inside the root is followed. */
  'fs.list': { params: { path: string }; result: FileEntry[] };
  /** By lstat: a symlink is reported as kind 'symlink', not followed ('' = the root). */
  'fs.stat': { params: { path: string }; result: FileEntry };
  /** Creates the folder and any missing parents. */
  'fs.mkdir': { params: { path: string }; result: FileEntry };
  /**
   * Refuses to overwrite an existing target (error code 'exists'); creates the target's missing
   * parent folders. A symlink moves as the link.
   */
  'fs.move': { params: { from: string; to: string }; result: FileEntry };
  /** Files, or folders recursively; a symlink is removed as the link, never its target. */
  'fs.delete': { params: { path: string }; result: null };
  /**
   * Also watch a heavy folder (node_modules, .git) that the tree opened: that one folder's
   * children, not its sub-folders (ask again for each one opened). Outside heavy folders every
   * folder is watched already, so this is a no-op there. Lasts until the folder is deleted.
   */
  'fs.watch': { params: { path: string }; result: null };
  /** TCP ports processes in the container listen on (the agent's own port excluded). */
  'ports.list': { params: undefined; result: ListeningPort[] };
  /**
   * The files a snapshot would hold, sorted by path (code-unit order), with ignore rules
   * applied (SNAPSHOT_DEFAULT_IGNORES, every .gitignore, then a root .berthignore). Hashes come
   * from an in-memory cache when size, mtime, ctime and inode are unchanged. Bad params answer
   * error code 'bad_params'.
   */
  'snapshot.scan': { params: SnapshotScanParams; result: SnapshotScanResult };
}

export const snapshotScanParamsSchema = z.object({
  /** Larger files are listed in `skipped` (too_large), not hashed. */
  maxFileBytes: z.number().int().nonnegative(),
  /** Keep `.env` / `.env.*` (even when a .gitignore lists them; a .berthignore still wins). */
  includeEnv: z.boolean(),
});
export type SnapshotScanParams = z.infer<typeof snapshotScanParamsSchema>;

export interface SnapshotScanEntry {
  /** Relative to /workspace, '/'-separated. */
  path: string;
  /** A symlink is never followed: its content is its target string. */
  type: 'file' | 'symlink';
  /** Permission bits (mode & 0o777), e.g. 0o644. */
  mode: number;
  /** Bytes of content (a symlink: the target's UTF-8 byte length). */
  size: number;
  /** Hex sha256 of the content (a symlink: of its target string). */
  sha256: string;
}

/** Not in the manifest: a file above maxFileBytes, one (or a folder, size 0) that could not be read, or whose path cannot be stored (SkipReason). */
export interface SnapshotSkippedEntry {
  path: string;
  size: number;
  reason: SkipReason;
}

export interface SnapshotScanResult {
  files: SnapshotScanEntry[];
  skipped: SnapshotSkippedEntry[];
}

/**
 * Snapshot content travels over HTTP (same secret as /fs/content), as tar streams:
 *   POST /snapshot/archive  body JSON {paths} → 200 application/x-tar, one entry per path in the
 *     given order (files with mode and content, symlinks with linkname); a path that vanished or
 *     is no longer a file/symlink is left out. Entry sizes come from fstat when opened: a file
 *     that shrinks while streaming is padded with zeros, one that grows is cut — so the server
 *     must check each entry's sha256 against its manifest. 400 {error:'bad_path'|'bad_request'}.
 *   PUT /snapshot/archive   body tar → 200 {written}; files atomically (temp + rename, mode from
 *     the entry, parents created), symlinks (replacing a file or link), folders; hard links,
 *     devices and FIFOs refused. The first bad entry stops the restore (entries before it stay):
 *     400 {error:'bad_path'|'bad_archive', message}; a disk failure answers 500 {error:'failed'}.
 */
export const SNAPSHOT_ARCHIVE_MAX_PATHS = 100_000;
export const snapshotArchiveRequestSchema = z.object({
  paths: z.array(z.string().min(1).max(MAX_PATH_LENGTH)).max(SNAPSHOT_ARCHIVE_MAX_PATHS),
});
export type SnapshotArchiveRequest = z.infer<typeof snapshotArchiveRequestSchema>;
export type SnapshotArchiveError = 'bad_path' | 'bad_archive' | 'bad_request';

/** Events the agent pushes over the same connection. */
export interface AgentEvents {
  /**
   * Debounced (≤ 50 ms window), coalesced changes under /workspace, classified by lstat when
   * sent: a rename is 'deleted' + 'created'; an atomic save (temp + rename) is one 'changed'.
   * Folders get 'created'/'deleted' only. Nothing from inside heavy folders unless fs.watch asked.
   */
  'fs.changed': FileChange[];
  /** The full list whenever it changes (polled from /proc/net/tcp{,6} about every 500 ms). */
  'ports.changed': ListeningPort[];
}

/**
 * Error codes the agent answers with (RPC `error.code`, or the HTTP status on /fs/content):
 * bad_path 400 · not_found 404 · exists 409 · conflict 412 · too_large 413 · not_a_file 400 ·
 * not_a_dir 400 (fs.list of a file) · disk_full 507 (ENOSPC/EDQUOT; the previous content stays
 * whole) · failed 500. HTTP errors answer JSON {error: code, message}.
 * File content travels over HTTP, not the RPC socket:
 *   GET /fs/content?path=P            → 200 raw bytes, header X-Berth-Version
 *   PUT /fs/content?path=P&maxBytes=N[&mode=755] → 200 {version, size}; header If-Match: <version>
 *   (stale → 412 with {currentVersion}), or If-None-Match: * (exists → 412); written to a temp file
 *   and renamed.
 * Details: both follow a final symlink only when it stays inside the root (else bad_path). PUT
 * creates missing parent folders, gives the file `mode` (octal permission bits) when sent, else
 * keeps the replaced file's mode (a new file gets 644), answers 413 as soon as the
 * body (or its Content-Length) passes maxBytes (default and ceiling 256 MiB), and 412's
 * currentVersion is null when the file does not exist. GET answers Content-Length and
 * Content-Type: application/octet-stream; HEAD answers the headers only.
 */
export const AGENT_FILE_ERROR_STATUS = {
  bad_path: 400,
  not_a_file: 400,
  not_a_dir: 400,
  not_found: 404,
  exists: 409,
  conflict: 412,
  too_large: 413,
  disk_full: 507,
  failed: 500,
} as const;
export type AgentFileErrorCode = keyof typeof AGENT_FILE_ERROR_STATUS;
