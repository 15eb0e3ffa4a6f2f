// Keys typed while a terminal is not attached (the socket reconnecting after a Berth restart,
// the attach still on its way) are held and sent once it is, as an ssh client would after a
// network blip; before, they reached a server that did not yet know this socket and were
// lost. Bounded: a large paste during an outage is not replayed in part.
const MAX_HELD_CHARS = 16 * 1024;

export class HeldInput {
  private held: string[] | null = [];
  private heldChars = 0;

  /** Until release(), input is held. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends what was held, in order, and lets input through from now on. */
  release(send: (data: string) => void): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldChars = 0;
    for (const data of held) send(data);
  }

  /** Sends now, or holds while held; false when the input had to be dropped. */
  input(data: string, send: (data: string) => void): boolean {
    if (!this.held) {
      send(data);
      return true;
    }
    if (this.heldChars + data.length > MAX_HELD_CHARS) return false;
    this.held!.push(data);
    this.heldChars += data.length;
    return true;
  }
}
