// The processes of a local workspace, read from /proc: every descendant of its roots (the agent
// and each exec'd process). What a container's cgroup gives the Docker driver for free: a count,
// memory and CPU time to report, and a list to kill when the workspace stops.
import { readdir, readFile } from 'node:fs/promises';

/** /proc reports CPU time in clock ticks of USER_HZ, which Linux fixes at 100 for user space. */
export const TICKS_PER_SECOND = 100;
/** rss in /proc/<pid>/stat is in pages; every Linux platform Berth runs on uses 4 KiB pages. */
const PAGE_BYTES = 4096;

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks. */
  cpuTicks: number;
  rssBytes: number;
}

async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 of proc(5): state, then ppid (4) … utime (14), stime (15) … rss (24).
    if (fields[0] === 'Z') return undefined; // a zombie holds no memory and runs nothing
    return {
      pid,
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** The live processes under `roots`, the roots included (those still alive). */
export async function processTree(roots: Iterable<number>): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const all = (await Promise.all(pids.map(readProcess))).filter((info): info is ProcessInfo => info !== undefined);
  const children = new Map<number, ProcessInfo[]>();
  for (const info of all) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const byPid = new Map(all.map((info) => [info.pid, info]));
  const found: ProcessInfo[] = [];
  const queue = [...roots].map((pid) => byPid.get(pid)).filter((info): info is ProcessInfo => info !== undefined);
  const seen = new Set<number>();
  while (queue.length > 0) {
    const info = queue.shift()!;
    if (seen.has(info.pid)) continue;
    seen.add(info.pid);
    found.push(info);
    queue.push(...(children.get(info.pid) ?? []));
  }
  return found;
}

/** SIGKILLs every process under `roots` (what stopping a container does to what runs in it). */
export async function killTree(roots: Iterable<number>): Promise<void> {
  for (const { pid } of await processTree(roots)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
