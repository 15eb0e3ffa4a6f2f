// Preview capabilities: 128 random bits (32 lowercase hex characters) → {project, port, owner,
// expiry}. In memory for now (a restart of Berth invalidates every preview URL; issue 7 may
// persist them). Expired entries are dropped when looked up or listed.
import { randomBytes } from 'node:crypto';

export interface Capability {
  capability: string;
  projectId: string;
  port: number;
  ownerId: string;
  expiresAt: number;
}

export class CapabilityStore {
  private readonly byId = new Map<string, Capability>();

  constructor(private readonly options: { ttlMs: number; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  mint(projectId: string, port: number, ownerId: string): Capability {
    this.sweep();
    const entry: Capability = {
      capability: randomBytes(16).toString('hex'),
      projectId,
      port,
      ownerId,
      expiresAt: this.now() + this.options.ttlMs,
    };
    this.byId.set(entry.capability, entry);
    return entry;
  }

  /** The live capability, or undefined when unknown, expired or revoked. */
  resolve(capability: string): Capability | undefined {
    const entry = this.byId.get(capability);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.byId.delete(capability);
      return undefined;
    }
    return entry;
  }

  /** A still-valid capability for this owner's (project, port), minting one when there is none. */
  current(projectId: string, port: number, ownerId: string): Capability {
    for (const entry of [...this.byId.values()]) {
      if (entry.projectId !== projectId || entry.port !== port || entry.ownerId !== ownerId) continue;
      if (this.resolve(entry.capability)) return entry;
    }
    return this.mint(projectId, port, ownerId);
  }

  /** Invalidates every capability of (project, port) and mints a fresh one. */
  revoke(projectId: string, port: number, ownerId: string): Capability {
    for (const entry of [...this.byId.values()]) {
      if (entry.projectId === projectId && entry.port === port) this.byId.delete(entry.capability);
    }
    return this.mint(projectId, port, ownerId);
  }

  /** Invalidates all of a project's capabilities (its workspace restarted, or it was deleted). */
  rotate(projectId: string): void {
    for (const entry of [...this.byId.values()]) {
      if (entry.projectId === projectId) this.byId.delete(entry.capability);
    }
  }

  /** Drops expired entries, so the map only holds live capabilities plus the few since the last mint. */
  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.byId) if (entry.expiresAt <= now) this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
