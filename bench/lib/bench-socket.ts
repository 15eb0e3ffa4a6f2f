// A Socket.IO client to a bench server that acts like the browser: bearer token, WebSocket
// transport; typed calls with acks, and waiting for a workspace's status push.
import { io, type Socket } from 'socket.io-client';
import {
  callEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type WorkspaceStatusDto,
} from '../../server/contracts';
import type { BenchServer } from './berth';
import type { Defer } from './cleanup';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A Socket.IO client authenticated with the bearer token; disconnected by `defer`. */
export async function connectSocket(bench: BenchServer, defer: Defer, timeoutMs = 10_000): Promise<BenchSocket> {
  const socket: BenchSocket = io(bench.base, {
    transports: ['websocket'],
    // The header, not only `auth`: without an Origin the handshake is allowed only when it carries a bearer token.
    extraHeaders: { Authorization: `Bearer ${bench.user.token}` },
    reconnection: false,
    forceNew: true,
  });
  defer('disconnect socket', () => void socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Socket.IO did not connect within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Socket.IO connect failed: ${error.message}`));
    });
  });
  return socket;
}

/** Emits an event and resolves with its ack's data; rejects on an error ack or after `timeoutMs`. */
export const call = callEvent;

/** Resolves with the time the workspace:status push of `state` arrived; rejects on 'error'. */
export function waitForState(
  socket: BenchSocket,
  projectId: string,
  state: WorkspaceStatusDto['state'],
  timeoutMs = 60_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('workspace:status', onStatus);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`workspace ${projectId} not ${state} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onStatus = (status: WorkspaceStatusDto) => {
      if (status.projectId !== projectId) return;
      if (status.state === state) {
        done();
        resolve(performance.now());
      } else if (status.state === 'error') {
        done();
        reject(new Error(`workspace ${projectId} failed: ${status.error?.code}: ${status.error?.message}`));
      }
    };
    socket.on('workspace:status', onStatus);
  });
}
