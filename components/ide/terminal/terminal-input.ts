// The keys of one terminal view on their way to its shell: held while the terminal is not
// attached (held-input.ts), sent in order once it is, and every key that does not get there is
// reported — the server refused it (the terminal ended, or this tab is not attached to it), the
// server did not answer, or it did not fit in the hold. A lost key is never silent.
import { HeldInput } from './held-input';

export interface LostInput {
  /** How many characters of typed (or pasted) input did not reach the shell. */
  chars: number;
  reason: string;
}

export class TerminalInput {
  private readonly held = new HeldInput();

  constructor(
    private readonly send: (data: string) => Promise<unknown>,
    private readonly onLost: (lost: LostInput) => void,
  ) {}

  /** Until release(), keys are held (the connection dropped, or the attach is on its way). */
  hold(): void {
    this.held.hold();
  }

  /** The terminal is attached: send what was held, in order, and from now on at once. */
  release(): void {
    this.held.release((data) => this.deliver(data));
  }

  type(data: string): void {
    if (!this.held.input(data, (text) => this.deliver(text))) {
      this.onLost({ chars: data.length, reason: 'more was typed than is kept while the terminal reconnects' });
    }
  }

  private deliver(data: string): void {
    this.send(data).catch((error: unknown) =>
      this.onLost({ chars: data.length, reason: error instanceof Error ? error.message : String(error) }),
    );
  }
}

/** The notice a view shows for what was lost so far (several losses add up). */
export function lostInputNotice({ chars, reason }: LostInput): string {
  return `${chars} typed character${chars === 1 ? '' : 's'} did not reach the terminal (${reason}). Type ${chars === 1 ? 'it' : 'them'} again.`;
}
