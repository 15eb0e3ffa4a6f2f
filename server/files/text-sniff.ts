// Telling text from binary the way editors do: a NUL byte in the first 8 KB means binary;
// otherwise the bytes must decode as UTF-8 without a single replacement.
import type { Readable } from 'node:stream';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function looksBinary(head: Buffer): boolean {
  return head.includes(0);
}

/** The text, or null when the bytes are not valid UTF-8. A BOM is kept, so a save writes it back. */
export function decodeText(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads at most `limit` bytes, then stops the stream; `complete` when the stream ended within it. */
export async function readUpTo(stream: Readable, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      stream.destroy();
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}
