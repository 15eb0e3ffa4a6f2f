// A remote's URL as Berth handles it: checked against the import rules (the injected CheckRemoteUrl)
// and pinned to the address it was checked at; a user name or token never goes into .git/config,
// and none is shown back from one.

/** A URL that passed the import rules, and the address it must be reached at. */
export interface CheckedRemoteUrl {
  url: string;
  host: string;
  port: number;
  address: string;
}

export type CheckRemoteUrl = (url: string) => Promise<CheckedRemoteUrl>;

/** Whether the URL carries a user name or password (they would be written into .git/config). */
export const hasUserInfo = (url: string) => {
  const parsed = new URL(url);
  return parsed.username !== '' || parsed.password !== '';
};

/** The URL as shown back: without a user name or token an edited .git/config may hold. */
export function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
