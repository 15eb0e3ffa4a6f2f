// A build's output kept to its last `maxBytes` (what the history stores and GET answers): a long
// npm install must not grow a row without bound, and the end of a log is where a failure shows.
export class CappedLog {
  private text = '';
  private dropped = false;

  constructor(private readonly maxChars: number) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 2) this.trim();
  }

  toString(): string {
    this.trim();
    return this.dropped ? `[… earlier output left out]\n${this.text}` : this.text;
  }

  private trim(): void {
    if (this.text.length <= this.maxChars) return;
    const cut = this.text.length - this.maxChars;
    // Start at a line's beginning when one is near.
    const newline = this.text.indexOf('\n', cut);
    this.text = this.text.slice(newline >= 0 && newline - cut < 200 ? newline + 1 : cut);
    this.dropped = true;
  }
}
