// What a remote's check found, in words: "signed in as ada@example.com · 12 projects", or why not.
import type { RemoteDto } from '@/server/contracts';
import { plural } from './sync-format';

export function accountText(remote: RemoteDto): { ok: boolean; text: string } {
  if (remote.error) return { ok: false, text: remote.error };
  if (!remote.account) return { ok: false, text: 'Not checked yet' };
  const who = remote.account.email ?? remote.account.name ?? 'this token';
  return { ok: true, text: `signed in as ${who} · ${plural(remote.account.projects, 'project')}` };
}
