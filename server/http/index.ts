// Berth's REST API for /api/v1 (one file per resource), health and readiness, and the
// HTTP helpers they share. Imports services through their index.ts, never their internals.
export { createApiRouter, type ApiServices } from './api-router';
export { sendJson, parseWith, reply, Router, type Reply, type RequestContext } from './router';
export { sendHealth, sendReadiness } from './health';
export { createMetricsEndpoint } from './metrics';
export { createCliDownload } from './cli-download';
export { clientIp } from './client-ip';
export { setSecurityHeaders } from './security-headers';
export { createRequestHandler, type PreviewRoute, type RequestRoutes } from './request-handler';
export { trackOpenConnections } from './open-connections';
export { createHostPolicy, type HostVerdict } from './host-policy';
