// A fixed-size filesystem per workspace (ADR 0006): a sparse ext4 image file under
// <disksDir>/<projectId>.img, loop-mounted on the host at <disksDir>/<projectId>/ and bound into
// the container as its volume. The volume binds the `workspace` folder *inside* the mount: when
// the image is not mounted that folder does not exist, so the container fails to start instead
// of silently writing to the host's disk. Needs root on the host (mount -o loop, mkfs.ext4).
import { execFile } from 'node:child_process';
import { access, chown, mkdir, readFile, rm, statfs, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** uid:gid of the workspace user, who must own the volume's root. */
const WORKSPACE_UID = 1000;

export class DiskImages {
  constructor(readonly disksDir: string) {}

  imagePath(projectId: string): string {
    return path.join(this.disksDir, `${projectId}.img`);
  }

  mountPoint(projectId: string): string {
    return path.join(this.disksDir, projectId);
  }

  /** What the workspace volume binds: a folder that exists only while the image is mounted. */
  volumeDevice(projectId: string): string {
    return path.join(this.mountPoint(projectId), 'workspace');
  }

  /** A brand-new filesystem of sizeBytes (an old image of the same project is replaced), mounted. */
  async create(projectId: string, sizeBytes: number): Promise<void> {
    await this.unmount(projectId);
    const image = this.imagePath(projectId);
    await mkdir(this.disksDir, { recursive: true, mode: 0o700 });
    await rm(image, { force: true });
    // Sparse: the host's disk is used only as the workspace fills it.
    await writeFile(image, '', { mode: 0o600 });
    await truncate(image, sizeBytes);
    // -m 0: no blocks reserved for root (nobody is root inside); quiet; no lazy init left for later.
    await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]);
    await this.mount(projectId);
    await mkdir(this.volumeDevice(projectId), { recursive: true, mode: 0o755 });
    await chown(this.volumeDevice(projectId), WORKSPACE_UID, WORKSPACE_UID);
  }

  async exists(projectId: string): Promise<boolean> {
    return access(this.imagePath(projectId)).then(
      () => true,
      () => false,
    );
  }

  /** Mounts the image if it is not mounted yet (after a host reboot, or after a stop). */
  async mount(projectId: string): Promise<void> {
    const target = this.mountPoint(projectId);
    if (await isMounted(target)) return;
    // The mount point itself is root's and empty: unmounted, the workspace user cannot write there.
    await mkdir(target, { recursive: true, mode: 0o755 });
    // discard: files deleted in the workspace give their blocks back to the host.
    await run('mount', ['-o', 'loop,nodev,nosuid,discard', this.imagePath(projectId), target]);
  }

  /** Unmounts (the loop device goes with it); a filesystem still in use stays mounted. */
  async unmount(projectId: string): Promise<boolean> {
    const target = this.mountPoint(projectId);
    if (!(await isMounted(target))) return true;
    try {
      await run('umount', [target]);
      return true;
    } catch {
      return false;
    }
  }

  async remove(projectId: string): Promise<void> {
    const target = this.mountPoint(projectId);
    if (!(await this.unmount(projectId))) await run('umount', ['-l', target]).catch(() => undefined);
    await rm(this.imagePath(projectId), { force: true });
    await rm(target, { recursive: true, force: true });
  }

  /** Bytes used on the mounted filesystem; null when it is not mounted. */
  async usedBytes(projectId: string): Promise<number | null> {
    const target = this.mountPoint(projectId);
    if (!(await isMounted(target))) return null;
    const stats = await statfs(target);
    return (stats.blocks - stats.bfree) * stats.bsize;
  }
}

/**
 * Lazily unmounts every filesystem mounted under disksDir (teardown of a whole data folder:
 * a recursive delete must never walk into a mounted workspace).
 */
export async function releaseWorkspaceDisks(disksDir: string): Promise<void> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const root = `${path.resolve(disksDir)}${path.sep}`;
  const mounted = table
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((target) => target.startsWith(root));
  for (const target of mounted) await run('umount', ['-l', target]).catch(() => undefined);
}

/** True when something is mounted exactly at target (per this process's mount table). */
export async function isMounted(target: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const wanted = path.resolve(target);
  // Field 5 is the mount point, with spaces and the like octal-escaped.
  return table.split('\n').some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === wanted);
}

const unescapeMountPath = (value: string) =>
  value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
