// Backpressure on the preview fast path: whichever side cannot take more bytes pauses the other
// until it drains, so a slow browser or app never grows Berth's buffers without bound.
import type { Socket } from 'node:net';

export class Backpressure {
  private waitingForTunnel = false;
  /** The tunnel is paused until the browser reads (a tunnel in this state is not pooled). */
  waitingForClient = false;

  /** The tunnel's buffer is full: stop reading the browser until the tunnel drains. */
  holdClient(client: Socket, tunnel: Socket | undefined, closed: () => boolean): void {
    if (this.waitingForTunnel || !tunnel) return;
    this.waitingForTunnel = true;
    client.pause();
    tunnel.once('drain', () => {
      this.waitingForTunnel = false;
      if (!closed()) client.resume();
    });
  }

  /** The browser's buffer is full: stop reading the tunnel until the browser drains. */
  holdTunnel(client: Socket, tunnel: Socket | undefined): void {
    if (this.waitingForClient || !tunnel) return;
    this.waitingForClient = true;
    tunnel.pause();
    client.once('drain', () => {
      this.waitingForClient = false;
      tunnel.resume();
    });
  }
}
