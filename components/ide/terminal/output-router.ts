'use client';
// Routes terminal output from the one socket listener to the view of each terminal. Output
// for a terminal with no view is acked at once so the server never waits on it.
import type { WorkbenchSocket } from '../workbench-socket';

type Writer = (data: string, ack: () => void) => void;

export class OutputRouter {
  private readonly writers = new Map<string, Writer>();

  constructor(socket: WorkbenchSocket) {
    socket.on('terminal:output', ({ terminalId, data }, ack) => {
      const writer = this.writers.get(terminalId);
      if (writer) writer(data, ack);
      else ack();
    });
  }

  register(terminalId: string, writer: Writer): () => void {
    this.writers.set(terminalId, writer);
    return () => {
      if (this.writers.get(terminalId) === writer) this.writers.delete(terminalId);
    };
  }
}
