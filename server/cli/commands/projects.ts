// berth projects [--url <url>]: the projects the token reaches, newest first.
import type { RemoteProject } from '../../sync/core/berth-client';
import { BerthClient } from '../../sync/core/berth-client';
import type { CliIo } from '../cli-io';
import { normalizeBerthUrl, readCredentials, tokenFor } from '../credentials';
import { findFolderRoot, folderLayout } from '../folder-layout';
import { readFolderConfig } from '../folder-state';

/** The Berth a command means: --url, else the current folder's, else the last one signed in to. */
export async function berthUrlFor(flag: string | undefined, io: CliIo): Promise<string> {
  if (flag) return normalizeBerthUrl(flag);
  const root = findFolderRoot(io.cwd);
  const config = root ? await readFolderConfig(folderLayout(root)) : undefined;
  if (config) return config.url;
  const current = (await readCredentials(io.env)).current;
  if (!current) throw new Error('Not signed in: run berth login <url>');
  return current;
}

export async function clientFor(flag: string | undefined, io: CliIo): Promise<BerthClient> {
  const url = await berthUrlFor(flag, io);
  return new BerthClient({ baseUrl: url, token: await tokenFor(url, io.env) });
}

export function formatProjects(projects: readonly RemoteProject[]): string[] {
  if (projects.length === 0) return ['No projects yet.'];
  const sorted = [...projects].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const width = Math.min(40, Math.max(4, ...sorted.map((project) => project.name.length)));
  return [
    `${'NAME'.padEnd(width)}  ${'ID'.padEnd(25)}  TEMPLATE`,
    ...sorted.map((project) => `${project.name.padEnd(width)}  ${project.id.padEnd(25)}  ${project.template}`),
  ];
}

export async function projects(input: { url?: string }, io: CliIo): Promise<number> {
  const client = await clientFor(input.url, io);
  for (const line of formatProjects(await client.projects())) io.out(line);
  return 0;
}
