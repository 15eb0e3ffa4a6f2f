// Preview: each preview is its own site, p-<capability>.<PREVIEW_DOMAIN>; the capability (in
// memory, expiring, revocable, rotated on workspace restart) maps to (project, port). A
// connection that starts with a preview host is served on the fast path (preview-connection.ts:
// heads read and rewritten, bytes passed on over pooled connections to the app, straight or
// through the agent's tunnel); node:http connections get the same rules (preview-proxy.ts).
// Imports contracts and core only; workspaces and projects come in as interfaces. Its REST
// resource lives in server/http/previews.routes.ts; berth-server.ts puts preview hosts ahead of
// every other route.
export {
  PreviewService,
  routePreviewHostsFirst,
  isPreviewablePort,
  type PreviewOptions,
  type PreviewProjects,
  type PreviewWorkspaces,
} from './preview-service';
export { CapabilityStore, type Capability } from './capability-store';
export { parsePreviewHost, previewUrl, type PreviewHost } from './preview-host';
export { broadcastPortChanges } from './preview.socket';
export { DeploymentHosts, type DeploymentLookup } from './deployment-hosts';
