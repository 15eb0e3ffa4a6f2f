// Admin: the operator's view over all users and workspaces (BERTH_ADMIN_EMAILS), behind
// /admin and /api/v1/admin/*. Imports db, core, contracts, and workspaces/runtime through
// their index.ts; its REST resource lives in server/http/admin.routes.ts.
export { AdminService } from './admin-service';
