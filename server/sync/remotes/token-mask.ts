// A remote's token as the Remotes page shows it: its prefix (a Berth token's "berth_pat_" and the
// four characters Berth itself lists it by) and its last four characters, nothing in between.

/** A Berth token's fixed prefix and the four characters Berth stores beside it. */
const KNOWN_PREFIX = /^[a-z]+_[a-z]+_/;

export function maskRemoteToken(token: string): string {
  const prefix = KNOWN_PREFIX.exec(token)?.[0] ?? '';
  const secret = token.slice(prefix.length);
  // Short secrets would show too much of themselves: only the prefix then.
  if (secret.length < 16) return `${prefix}••••`;
  return `${prefix}${secret.slice(0, 4)}••••${secret.slice(-4)}`;
}
