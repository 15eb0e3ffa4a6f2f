// How big a socket event may be. The transport's own cap drops the whole connection, so it sits
// well above the message limit: an event between the two gets an error answer ("file too
// large") and the connection lives on. Larger files go over REST (streamed).
export const SOCKET_MESSAGE_LIMIT_BYTES = 8 * 1024 * 1024;
export const SOCKET_HARD_LIMIT_BYTES = 24 * 1024 * 1024;

/** About how many bytes an event's arguments carry (strings by length, binary by size). */
export function payloadBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value === null || typeof value !== 'object' || depth > 8) return 8;
  let total = 0;
  for (const item of Object.values(value)) total += payloadBytes(item, depth + 1);
  return total;
}

export function tooLargeError(bytes: number): { code: string; message: string } {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    code: 'too_large',
    message: `File too large for the editor's connection (${mb(bytes)}; the limit is ${mb(SOCKET_MESSAGE_LIMIT_BYTES)}): upload it instead`,
  };
}
