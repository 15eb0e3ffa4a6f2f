// Readiness of a workspace: the agent answers GET /health with its secret. Polled, not slept.
import http from 'node:http';
import type { AgentEndpoint } from '../runtime-driver';

const POLL_MS = 20;

/**
 * One GET /health with the secret. node:http rather than fetch: undici's pending request does
 * not keep the event loop alive, and docker-proxy can hold a connection open before the agent
 * listens (the process then exited mid-wait). No keep-alive: a poll must not reuse a socket.
 */
export function checkAgentHealth(endpoint: AgentEndpoint, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      `${endpoint.url}/health`,
      { headers: { Authorization: `Bearer ${endpoint.secret}` }, agent: false, timeout: timeoutMs },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
        response.on('error', () => resolve(false));
      },
    );
    // Connection refused or reset: docker-proxy accepts before the agent listens.
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

export interface WaitForAgentOptions {
  timeoutMs: number;
  /** Checked now and then so a container that died fails fast instead of at the deadline. */
  stillRunning: () => Promise<boolean>;
}

export async function waitForAgent(
  endpoint: AgentEndpoint,
  { timeoutMs, stillRunning }: WaitForAgentOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let nextLivenessCheck = Date.now() + 500;
  for (;;) {
    if (await checkAgentHealth(endpoint)) return;
    if (Date.now() >= deadline)
      throw new Error(`The workspace agent at ${endpoint.url} did not become healthy within ${timeoutMs} ms`);
    if (Date.now() >= nextLivenessCheck) {
      if (!(await stillRunning())) throw new Error('The workspace container exited before its agent became healthy');
      nextLivenessCheck = Date.now() + 500;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
