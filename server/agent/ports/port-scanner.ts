// Listening-port discovery from /proc/net/tcp and /proc/net/tcp6 (state 0A = LISTEN). Reading
// two small files is cheap enough to poll; the poller runs only while the server is connected.
import { readFile } from 'node:fs/promises';
import type { ListeningPort } from '../../contracts/preview';

const LISTEN = '0A';

/** "0100007F" (little-endian) → "127.0.0.1". */
function decodeIpv4(hex: string): string {
  const value = Number.parseInt(hex, 16);
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff].join('.');
}

/** 32 hex digits: four 32-bit words, each little-endian → canonical compressed IPv6 text. */
function decodeIpv6(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const chunk = hex.slice(word * 8, word * 8 + 8);
    for (let index = 3; index >= 0; index--) bytes.push(Number.parseInt(chunk.slice(index * 2, index * 2 + 2), 16));
  }
  // IPv4-mapped (::ffff:a.b.c.d)
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((bytes[index]! << 8) | bytes[index + 1]!);
  // Compress the longest run (≥ 2) of zero groups.
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength && end - start >= 2) [bestStart, bestLength] = [start, end - start];
    start = end;
  }
  const text = (list: number[]) => list.map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return text(groups);
  return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLength))}`;
}

/**
 * Parses the contents of /proc/net/tcp and/or /proc/net/tcp6: LISTEN sockets only, one entry per
 * port (the first address seen wins, IPv4 files before IPv6 when given in that order), sorted by
 * port, without `excludePort`.
 */
export function parseListeningPorts(contents: string[], excludePort?: number): ListeningPort[] {
  const byPort = new Map<number, ListeningPort>();
  for (const content of contents) {
    for (const line of content.split('\n')) {
      // sl local_address rem_address st ...
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || !/^\d+:$/.test(fields[0]!)) continue;
      if (fields[3]!.toUpperCase() !== LISTEN) continue;
      const [addressHex, portHex] = fields[1]!.split(':');
      if (!addressHex || !portHex) continue;
      const port = Number.parseInt(portHex, 16);
      if (!Number.isInteger(port) || port <= 0 || port === excludePort || byPort.has(port)) continue;
      let address: string;
      if (addressHex.length === 8) address = decodeIpv4(addressHex);
      else if (addressHex.length === 32) address = decodeIpv6(addressHex);
      else continue;
      byPort.set(port, { port, address });
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

const PROC_FILES = ['/proc/net/tcp', '/proc/net/tcp6'];

/** Reads the two files (a missing one, e.g. no IPv6, counts as empty). */
export async function scanListeningPorts(excludePort?: number, files = PROC_FILES): Promise<ListeningPort[]> {
  const contents = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  return parseListeningPorts(contents, excludePort);
}

const sameList = (a: ListeningPort[], b: ListeningPort[]) =>
  a.length === b.length && a.every((item, index) => item.port === b[index]!.port && item.address === b[index]!.address);

export interface PortPollerOptions {
  excludePort: number;
  /** Polls only while this is true (a server connection is open). */
  active(): boolean;
  onChange(ports: ListeningPort[]): void;
  intervalMs?: number;
  scan?(excludePort: number): Promise<ListeningPort[]>;
}

/** Polls while active and reports the full list whenever it differs from the last one sent. */
export class PortPoller {
  private timer: NodeJS.Timeout | undefined;
  private last: ListeningPort[] | undefined;
  private busy = false;

  constructor(private readonly options: PortPollerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 500);
    this.timer.unref();
  }

  /** The current list, fresh from /proc. */
  list(): Promise<ListeningPort[]> {
    return (this.options.scan ?? scanListeningPorts)(this.options.excludePort);
  }

  private async tick(): Promise<void> {
    if (!this.options.active()) {
      // Idle: forget the last list, so the next connection hears the full list promptly.
      this.last = undefined;
      return;
    }
    if (this.busy) return;
    this.busy = true;
    try {
      const ports = await this.list();
      if (this.last && sameList(this.last, ports)) return;
      this.last = ports;
      this.options.onChange(ports);
    } catch {
      // /proc unreadable: try again next tick
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
