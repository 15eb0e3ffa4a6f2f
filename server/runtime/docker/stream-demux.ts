// Splits Docker's multiplexed attach stream (non-tty exec): frames of an 8-byte header
// [stream, 0, 0, 0, size32be] then the payload. A tiny parser instead of modem.demuxStream,
// which reads in 'readable' mode and so would ignore pause() (no backpressure).
export function createDemuxer(
  onPayload: (payload: Buffer, stream: 'stdout' | 'stderr') => void,
): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const kind = buffer[0] === 2 ? 'stderr' : 'stdout';
      if (size > 0) onPayload(buffer.subarray(8, 8 + size), kind);
      buffer = buffer.subarray(8 + size);
    }
  };
}
