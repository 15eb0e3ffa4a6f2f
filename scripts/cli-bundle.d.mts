// Types of scripts/cli-bundle.mjs, for TypeScript callers (the GET /cli download, tests).
export const CLI_ENTRY: string;
export const CLI_OUTFILE: string;
export const CLI_META: string;
export function cliSourceHash(root: string, inputs: readonly string[]): string | null;
export function cliBundleFresh(root: string): boolean;
export function bundleCli(options: {
  root: string;
  write?: boolean;
}): Promise<{ code: Buffer; inputs: string[]; hash: string | null }>;
