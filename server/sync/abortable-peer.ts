// A SyncPeer whose every call ends as soon as `signal` aborts. The peer interface carries a signal
// only for state(); a remote that stops answering mid-sync (an apply held, a blob transfer that
// stalls) must still not keep Berth's shutdown waiting: the call is abandoned with the abort's
// reason (the request itself ends with its connection or this process).
import type { BlobContent, PeerStateAnswer, SyncPeer } from './core/sync-peer';

function race<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function* iterate(source: AsyncIterable<BlobContent>, signal: AbortSignal): AsyncIterable<BlobContent> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await race(iterator.next(), signal);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.()?.catch(() => undefined);
  }
}

export function abortable(peer: SyncPeer, signal: AbortSignal): SyncPeer {
  return {
    name: peer.name,
    conversationsSupported: peer.conversationsSupported,
    state: (options = {}): Promise<PeerStateAnswer> =>
      race(
        peer.state({ ...options, signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal }),
        signal,
      ),
    missing: (hashes) => race(peer.missing(hashes), signal),
    putBlobs: (blobs, onBytes) => race(peer.putBlobs(blobs, onBytes), signal),
    readBlobs: (hashes, onBytes) => iterate(peer.readBlobs(hashes, onBytes), signal),
    ...(peer.present ? { present: (paths: string[]) => race(peer.present!(paths), signal) } : {}),
    conversations: (ids) => race(peer.conversations(ids), signal),
    apply: (input) => race(peer.apply(input), signal),
  };
}
