// Open sockets per user, so one account (or a leaked token in a loop) cannot hold unbounded
// connections (SOCKETS_MAX_PER_USER). Per process: one Berth per host is the supported layout.
export class SocketCounter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more socket for `userId`, unless that would pass the cap. */
  tryAdd(userId: string): boolean {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.max) return false;
    this.open.set(userId, count + 1);
    return true;
  }

  remove(userId: string): void {
    const count = (this.open.get(userId) ?? 1) - 1;
    if (count <= 0) this.open.delete(userId);
    else this.open.set(userId, count);
  }

  count(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}
