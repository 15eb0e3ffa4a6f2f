// berth login <url> [--token <token>]: a token given, or one approved in the browser; checked
// with GET /api/v1/me before it is saved.
import { BerthClient } from '../../sync/core/berth-client';
import type { CliIo } from '../cli-io';
import { normalizeBerthUrl, saveToken } from '../credentials';
import { deviceLogin } from '../device-login';

export async function login(input: { url: string; token?: string }, io: CliIo, signal: AbortSignal): Promise<number> {
  const url = normalizeBerthUrl(input.url);
  const token = input.token ?? (await deviceLogin(url, io, { signal }));
  const me = await new BerthClient({ baseUrl: url, token }).me();
  await saveToken(url, token, me.email, io.env);
  io.out(`Signed in to ${url} as ${me.email}`);
  return 0;
}
