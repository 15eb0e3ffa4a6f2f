// WORKSPACE_DISK_GB on the Docker engine (ADR 0006): which mechanism holds each part of a
// workspace's disk, found once by probing what this host allows, and its usage.
// - The volume: a fixed-size loop-mounted filesystem (disk-image.ts) when Berth runs as root on
//   the engine's host; otherwise watched (measured, and the workspace stopped past the limit).
// - The writable layer: --storage-opt size= where the storage driver takes it (overlay2 on xfs
//   with pquota); otherwise watched.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { Container } from 'dockerode';
import type { Logger } from '../../core/logger';
import type { DiskEnforcement, WorkspaceDiskUsage } from '../runtime-driver';
import { DiskImages } from './disk-image';
import { orMissing } from './docker-errors';
import { createDemuxer } from './stream-demux';
import { volumeName } from './names';

export interface DiskMechanisms {
  volume: DiskEnforcement;
  layer: 'quota' | 'watch';
  /** Why the volume is only watched, when it is. */
  volumeNote?: string;
  layerNote?: string;
}

export interface DiskLimiterOptions {
  limitBytes: number;
  /** Host folder for the image files and their mount points (absolute). */
  disksDir: string;
  /** Image used for the storage-opt probe (a container is created, never started). */
  image: string;
  /** false when Berth runs in a container: its paths are not the engine's, loop mounts are out. */
  onEngineHost: boolean;
  /** false: the volume is only ever watched. */
  allowFilesystem?: boolean;
}

const PROBE_BYTES = 16 * 1024 * 1024;

export class DiskLimiter {
  readonly images: DiskImages;
  private detected: Promise<DiskMechanisms> | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly options: DiskLimiterOptions,
    private readonly log: Logger,
  ) {
    this.images = new DiskImages(options.disksDir);
  }

  get limitBytes(): number {
    return this.options.limitBytes;
  }

  /** Probes once (the first caller logs the outcome); later calls share the answer. */
  mechanisms(): Promise<DiskMechanisms> {
    this.detected ??= this.probe().then((found) => {
      this.log.info(
        { limitBytes: this.options.limitBytes, ...found },
        `workspace disk limit: volume ${found.volume === 'filesystem' ? 'on a fixed-size filesystem' : 'watched'}, writable layer ${found.layer === 'quota' ? 'by storage quota' : 'watched'}`,
      );
      return found;
    });
    return this.detected;
  }

  /** Driver options for a brand-new volume: its own filesystem when the host allows it. */
  async volumeDriverOptions(projectId: string): Promise<Record<string, string> | undefined> {
    if ((await this.mechanisms()).volume !== 'filesystem') return undefined;
    await this.images.create(projectId, this.options.limitBytes);
    return { type: 'none', o: 'bind', device: this.images.volumeDevice(projectId) };
  }

  /** Storage options for a new container's writable layer (undefined when the driver has none). */
  async storageOptions(): Promise<Record<string, string> | undefined> {
    return (await this.mechanisms()).layer === 'quota' ? { size: String(this.options.limitBytes) } : undefined;
  }

  /** Before a start: the project's filesystem is mounted (after a stop or a host reboot). */
  async beforeStart(projectId: string): Promise<void> {
    if (await this.onOwnDisk(projectId)) await this.images.mount(projectId);
  }

  /** After a stop: free the loop device (kept mounted only while the workspace runs). */
  async afterStop(projectId: string): Promise<void> {
    if (await this.images.exists(projectId)) await this.images.unmount(projectId);
  }

  async remove(projectId: string): Promise<void> {
    await this.images.remove(projectId);
  }

  /** Volume + writable layer; null when the workspace has no container or cannot be measured now. */
  async usage(projectId: string, container: Container): Promise<WorkspaceDiskUsage | null> {
    // ?size=true: the engine adds SizeRw (bytes written to the writable layer); not in the typings.
    const info = await orMissing(() => container.inspect({ size: true } as Dockerode.ContainerInspectOptions));
    if (!info) return null;
    const layerBytes = (info as { SizeRw?: number }).SizeRw ?? 0;
    const ownDisk = await this.onOwnDisk(projectId);
    let volumeBytes = ownDisk ? await this.images.usedBytes(projectId) : null;
    if (volumeBytes === null && info.State.Running) volumeBytes = await measureInContainer(container);
    if (volumeBytes === null) return null;
    return {
      usedBytes: volumeBytes + layerBytes,
      limitBytes: this.options.limitBytes,
      enforcement: ownDisk ? 'filesystem' : 'watch',
      volumeBytes,
      layerBytes,
    };
  }

  /** A stopped workspace whose writable layer takes it over the limit (the layer can be dropped). */
  async layerOverLimit(projectId: string, container: Container): Promise<boolean> {
    const usage = await this.usage(projectId, container);
    return usage !== null && usage.layerBytes > 0 && usage.usedBytes > this.options.limitBytes;
  }

  /** Whether the project's volume binds its own filesystem (volumes made before the limit do not). */
  private async onOwnDisk(projectId: string): Promise<boolean> {
    const volume = await orMissing(() => this.docker.getVolume(volumeName(projectId)).inspect());
    return volume?.Options?.device === this.images.volumeDevice(projectId);
  }

  private async probe(): Promise<DiskMechanisms> {
    const [volume, layer] = await Promise.all([this.probeFilesystem(), this.probeStorageOpt()]);
    return {
      volume: volume === true ? 'filesystem' : 'watch',
      layer: layer === true ? 'quota' : 'watch',
      ...(volume === true ? {} : { volumeNote: volume }),
      ...(layer === true ? {} : { layerNote: layer }),
    };
  }

  /** true, or why not: a tiny image is made, mounted and removed for real. */
  private async probeFilesystem(): Promise<true | string> {
    if (this.options.allowFilesystem === false) return 'a filesystem per volume is turned off';
    if (!this.options.onEngineHost) return 'Berth runs in a container: loop mounts are not visible to the engine';
    if (process.getuid?.() !== 0) return 'Berth does not run as root (mount -o loop needs it)';
    const probeId = `probe-${randomBytes(4).toString('hex')}`;
    try {
      await this.images.create(probeId, PROBE_BYTES);
      return true;
    } catch (error) {
      return `cannot make a loop-mounted filesystem: ${(error as Error).message.split('\n')[0]}`;
    } finally {
      await this.images.remove(probeId).catch(() => undefined);
    }
  }

  /** true, or why not: the engine refuses --storage-opt size= unless overlay2 sits on xfs with pquota. */
  private async probeStorageOpt(): Promise<true | string> {
    const name = `berth-disk-probe-${randomBytes(4).toString('hex')}`;
    try {
      const probe = await this.docker.createContainer({
        name,
        Image: this.options.image,
        Cmd: ['true'],
        HostConfig: { StorageOpt: { size: '1G' } },
      });
      await probe.remove({ force: true }).catch(() => undefined);
      return true;
    } catch (error) {
      return (error as Error).message.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, '').trim();
    }
  }
}

/** `du` of /workspace inside a running container (as the workspace user); null when it fails. */
async function measureInContainer(container: Container): Promise<number | null> {
  try {
    const exec = await container.exec({
      Cmd: ['du', '-sxb', '/workspace'],
      User: '1000:1000',
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    let out = '';
    const demux = createDemuxer((payload, kind) => {
      if (kind === 'stdout') out += payload.toString('utf8');
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', demux);
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
    });
    // du prints a total even when it could not read some folders (exit code 1).
    const bytes = Number.parseInt(out.trim().split(/\s+/)[0] ?? '', 10);
    return Number.isFinite(bytes) ? bytes : null;
  } catch {
    return null;
  }
}
