// Opens a URL in the user's browser, best effort: xdg-open / open / start, detached, every
// failure silent (the URL is printed anyway). Only a plain http(s) URL is ever handed to the
// opener (another scheme, or shell characters on Windows' start, could run something).
import { spawn } from 'node:child_process';

/** The URL as the opener may get it, or undefined when it is not a plain http(s) URL. */
export function openableUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // URL serialisation percent-encodes spaces, quotes and the like; refuse what could still be read as a command.
  if (/[\s"'`^&|<>%]/.test(url.href.replace(/%[0-9A-Fa-f]{2}/g, ''))) return undefined;
  return url.href;
}

export function openBrowser(input: string, platform: NodeJS.Platform = process.platform): void {
  const url = openableUrl(input);
  if (!url) return;
  const [command, args] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here: the printed URL is the way
  }
}
