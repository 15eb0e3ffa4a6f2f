// Types of scripts/berth-image.mjs, for TypeScript callers (benches).
export function buildBerthImage(): Promise<{ tag: string; workspaceImage: string; bytes: number }>;
