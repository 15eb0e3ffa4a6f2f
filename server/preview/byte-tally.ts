// Proxied bytes added up here and handed to the metric (berth_preview_bytes_total) at most once
// a second: a labelled counter update per chunk cost about as much as passing the chunk on.
import type { ByteCounter } from './preview-proxy';

export const TALLY_EVERY_MS = 1000;

export class ByteTally {
  private upstream = 0;
  private downstream = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: ByteCounter,
    private readonly everyMs = TALLY_EVERY_MS,
  ) {}

  readonly count: ByteCounter = (direction, bytes) => {
    if (direction === 'upstream') this.upstream += bytes;
    else this.downstream += bytes;
    this.timer ??= setTimeout(this.flush, this.everyMs).unref();
  };

  /** Hands the sums on now (tests, shutdown). */
  readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    const { upstream, downstream } = this;
    this.upstream = 0;
    this.downstream = 0;
    if (upstream > 0) this.sink('upstream', upstream);
    if (downstream > 0) this.sink('downstream', downstream);
  };
}
