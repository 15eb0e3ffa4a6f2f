// Types of scripts/workspace-image.mjs, for TypeScript callers (tests).
export function ensureWorkspaceImage(options?: { quiet?: boolean }): Promise<string>;
export function resolveBase(): Promise<string>;
