// Where `berth login` keeps its tokens: ~/.config/berth/credentials.json ($XDG_CONFIG_HOME
// respected), mode 0600 in a 0700 folder, one token per Berth URL, and which Berth was signed in
// to last (the one `berth projects` asks when no folder names one).
import { chmod, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';
import type { CliEnv } from './cli-io';

const credentialsSchema = z.object({
  version: z.literal(1),
  current: z.string().optional(),
  berths: z.record(
    z.string(),
    z.object({ token: z.string().min(1), email: z.string().optional(), savedAt: z.string() }),
  ),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export function configDir(env: CliEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return path.join(base ?? path.join(env.HOME ?? os.homedir(), '.config'), 'berth');
}

export function credentialsFile(env: CliEnv = process.env): string {
  return path.join(configDir(env), 'credentials.json');
}

/** A Berth's URL as credentials are keyed: origin plus path, no trailing slash. */
export function normalizeBerthUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(input) ? input : `https://${input}`);
  } catch {
    throw new Error(`Not a URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http(s) URL: ${input}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export async function readCredentials(env: CliEnv = process.env): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(credentialsFile(env), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, berths: {} };
    throw error;
  }
  const parsed = credentialsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${credentialsFile(env)} is damaged; run berth login again after removing it`);
  return parsed.data;
}

export async function saveToken(
  url: string,
  token: string,
  email: string | undefined,
  env: CliEnv = process.env,
): Promise<void> {
  const credentials = await readCredentials(env);
  credentials.berths[url] = { token, email, savedAt: new Date().toISOString() };
  credentials.current = url;
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writeFileAtomic(credentialsFile(env), `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
}

/** The token for `url`, or a message saying how to get one. */
export async function tokenFor(url: string, env: CliEnv = process.env): Promise<string> {
  const entry = (await readCredentials(env)).berths[url];
  if (!entry) throw new Error(`Not signed in to ${url}: run berth login ${url}`);
  return entry.token;
}
