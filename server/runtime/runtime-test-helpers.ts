// Small helpers for runtime tests (contract suite and driver tests). Test-only.
import http from 'node:http';
import type { ExecOptions, ExecSession, RuntimeDriver } from './runtime-driver';

/** Runs a command to the end; stdout and stderr together. */
export async function run(
  driver: RuntimeDriver,
  projectId: string,
  command: string[],
  options: Partial<ExecOptions> = {},
): Promise<{ output: string; code: number | null }> {
  const session = await driver.exec(projectId, command, { tty: false, ...options });
  const chunks: Buffer[] = [];
  session.onData((chunk) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve) => session.onExit(resolve));
  return { output: Buffer.concat(chunks).toString('utf8'), code };
}

/** Collects a session's output and waits for a pattern in it (bounded). */
export function collect(session: ExecSession) {
  let text = '';
  const waiters = new Set<() => void>();
  session.onData((chunk) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  });
  return {
    text: () => text,
    waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`output never matched ${pattern}; got ${JSON.stringify(text.slice(-500))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls a condition every 20 ms until it holds or the deadline passes. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** GET against a workspace agent, with the secret when given. */
export function agentGet(baseUrl: string, path: string, secret?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = secret ? { Authorization: `Bearer ${secret}` } : {};
    const request = http.get(`${baseUrl}${path}`, { headers, agent: false, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error('agent request timed out')));
    request.on('error', reject);
  });
}
