// Assistant turns for the ai benches: Berth with the scripted model server as its provider,
// conversations and messages through the REST API (bearer token), pushes awaited on the bench's
// Socket.IO client, and the scripted server read directly with a plain fetch (the provider's own
// times, the baseline of what Berth adds).
import type { ServerEventName, ServerPayloadOf } from '../../server/contracts';
import type { ScriptedModelServer, ScriptedStep } from '../../server/test-support/scripted-model-server';
import type { BenchSocket } from './bench-socket';
import type { BenchServer } from './berth';

/** Berth's settings for a provider at `baseUrl` (the scripted server or a tap before it). */
export const aiEnv = (baseUrl: string): Record<string, string> => ({
  AI_OPENAI_BASE_URL: baseUrl,
  AI_DEFAULT_MODEL: 'openai:scripted-model',
  // Hundreds of turns a minute: measure speed, not the rate limit.
  AI_TURNS_PER_MINUTE: '10000',
});

const bearer = (bench: BenchServer) => ({ Authorization: `Bearer ${bench.user.token}` });

/** POST /api/v1/projects/:id/conversations → its id. */
export async function createConversation(bench: BenchServer, projectId: string): Promise<string> {
  const response = await fetch(`${bench.base}/api/v1/projects/${projectId}/conversations`, {
    method: 'POST',
    headers: { ...bearer(bench), 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Bench' }),
  });
  if (response.status !== 201) throw new Error(`POST …/conversations: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * POST …/messages; resolves once the answer's headers came (the event stream is `response.body`).
 * `sentAt` is the moment the request was handed to fetch.
 */
export async function sendMessage(
  bench: BenchServer,
  projectId: string,
  conversationId: string,
  content: string,
): Promise<{ response: Response; sentAt: number }> {
  const sentAt = performance.now();
  const response = await fetch(`${bench.base}/api/v1/projects/${projectId}/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { ...bearer(bench), 'Content-Type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  if (response.status !== 200) throw new Error(`POST …/messages: ${response.status} ${await response.text()}`);
  return { response, sentAt };
}

/** POST …/snapshots (what a turn takes before it calls the model): resolves with how long it took. */
export async function takeSnapshot(bench: BenchServer, projectId: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${bench.base}/api/v1/projects/${projectId}/snapshots`, {
    method: 'POST',
    headers: { ...bearer(bench), 'Content-Type': 'application/json' },
    body: JSON.stringify({ label: 'bench' }),
  });
  const took = performance.now() - started;
  if (response.status !== 201) throw new Error(`POST …/snapshots: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return took;
}

/** Reads a stream to its end, calling `onText` with each decoded chunk and its arrival time. */
export async function readStream(response: Response, onText: (text: string, at: number) => void): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let all = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return all;
    const text = decoder.decode(value, { stream: true });
    all += text;
    onText(text, performance.now());
  }
}

/** One whole turn through REST: sends, reads the event stream to `done`, fails unless it ended 'done'. */
export async function runTurn(
  bench: BenchServer,
  projectId: string,
  conversationId: string,
  content: string,
): Promise<void> {
  const { response } = await sendMessage(bench, projectId, conversationId, content);
  const stream = await readStream(response, () => undefined);
  if (!stream.includes('"status":"done"')) throw new Error(`the turn did not finish: ${stream.slice(-300)}`);
}

/**
 * The provider on its own: `step` answered by the scripted server to a plain streaming fetch
 * (no Berth), read to its end; `onText` gets each chunk with its arrival time. Resolves with the
 * moment the request was handed to fetch.
 */
export async function readProviderDirectly(
  model: ScriptedModelServer,
  step: ScriptedStep,
  onText: (text: string, at: number) => void,
): Promise<number> {
  model.enqueue(step);
  const sentAt = performance.now();
  const response = await fetch(`${model.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'scripted-model', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  if (response.status !== 200) throw new Error(`scripted model server: ${response.status}`);
  await readStream(response, onText);
  return sentAt;
}

/** Resolves with the arrival time of the next `event` push that `match` accepts. */
export function nextPush<E extends ServerEventName>(
  socket: BenchSocket,
  event: E,
  match: (payload: ServerPayloadOf<E>) => boolean,
  timeoutMs: number,
): Promise<number> {
  const pushed = new Promise<number>((resolve, reject) => {
    const listener = (payload: ServerPayloadOf<E>) => {
      if (!match(payload)) return;
      const at = performance.now();
      done();
      resolve(at);
    };
    // The typed socket cannot narrow a generic event name: the listener fits `event`'s signature.
    const untyped = socket as unknown as {
      on(name: string, fn: (payload: ServerPayloadOf<E>) => void): void;
      off(name: string, fn: (payload: ServerPayloadOf<E>) => void): void;
    };
    const done = () => {
      clearTimeout(timer);
      untyped.off(event, listener);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no ${event} push within ${timeoutMs} ms`));
    }, timeoutMs);
    untyped.on(event, listener);
  });
  // Awaited later (or not at all once the bench failed elsewhere): never an unhandled rejection.
  pushed.catch(() => undefined);
  return pushed;
}
