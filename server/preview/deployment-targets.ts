// Where a deployment host's label leads, read at most once per TARGET_TTL_MS per label: every new
// connection to a d- host asks, and anyone may open connections, so a flood must not turn into
// database reads and `docker inspect`s one for one. Reads under way are shared; "nothing there"
// is kept as briefly as a found target; a failed read is not kept.
import type { DeploymentLookup } from './deployment-hosts';

export type DeploymentTarget = Awaited<ReturnType<DeploymentLookup['target']>>;

/** Short enough that a switch, a stop or a container's new port is seen at once by people. */
export const TARGET_TTL_MS = 1000;

export class DeploymentTargets {
  private readonly reads = new Map<string, { at: number; target: Promise<DeploymentTarget> }>();

  constructor(
    private readonly read: (label: string) => Promise<DeploymentTarget>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The target, from a read begun less than TARGET_TTL_MS ago when there is one. */
  get(label: string): Promise<DeploymentTarget> {
    const cached = this.reads.get(label);
    if (cached && this.now() - cached.at < TARGET_TTL_MS) return cached.target;
    const target = this.read(label);
    const entry = { at: this.now(), target };
    this.reads.set(label, entry);
    target.catch(() => {
      if (this.reads.get(label) === entry) this.reads.delete(label);
    });
    this.prune();
    return target;
  }

  /** A fresh read, for when the cached address just failed (a restarted container's new port). */
  refresh(label: string): Promise<DeploymentTarget> {
    this.forget(label);
    return this.get(label);
  }

  /** What was read of `label` is not used again (its environment turned private or public). */
  forget(label: string): void {
    this.reads.delete(label);
  }

  /** Drops expired entries now and then, so labels seen once do not pile up. */
  private prune(): void {
    if (this.reads.size < 1024) return;
    const now = this.now();
    for (const [label, entry] of this.reads) if (now - entry.at >= TARGET_TTL_MS) this.reads.delete(label);
  }
}
