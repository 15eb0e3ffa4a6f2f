// Scrollback kept per terminal: the newest `capacity` characters of output, replayed when a
// browser attaches. Chunks are kept as they came and trimmed from the front.
export class RingBuffer {
  private chunks: string[] = [];
  private length = 0;

  constructor(readonly capacity: number) {}

  append(text: string): void {
    if (text.length >= this.capacity) {
      this.chunks = [text.slice(text.length - this.capacity)];
      this.length = this.capacity;
      return;
    }
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.capacity) {
      const first = this.chunks[0]!;
      const excess = this.length - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
      }
    }
    // Many tiny chunks cost memory per entry: fold them now and then.
    if (this.chunks.length > 4096) this.chunks = [this.chunks.join('')];
  }

  toString(): string {
    return this.chunks.join('');
  }

  get size(): number {
    return this.length;
  }
}
