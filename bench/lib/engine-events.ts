// The engine's own clock of a start: container and volume events recorded while a bench runs.
import type Dockerode from 'dockerode';
import type { Defer } from './cleanup';

export interface EngineEventRecord {
  /** When the engine reported it done, on this process's performance.now() clock. */
  at: number;
  type: string;
  action: string;
  /** Container name, or the volume name. */
  name: string;
}

/**
 * Records the engine's container and volume events while the bench runs, so a start done
 * inside Berth's server can be split into steps (volume and container created, archive
 * extracted, started) without touching the server. (The scope's shared network is made once,
 * on the first start, so a start has no network event of its own.)
 */
export async function recordEngineEvents(
  docker: Dockerode,
  defer: Defer,
): Promise<{ of(names: string[], since: number): EngineEventRecord[] }> {
  const events: EngineEventRecord[] = [];
  const stream = (await docker.getEvents({ filters: { type: ['container', 'volume'] } })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  defer('stop the engine event stream', () => stream.destroy());
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    rest += chunk.toString('utf8');
    for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n')) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (!line) continue;
      try {
        const event = JSON.parse(line) as {
          Type?: string;
          Action?: string;
          timeNano?: number;
          Actor?: { ID?: string; Attributes?: Record<string, string> };
        };
        const name = event.Type === 'volume' ? event.Actor?.ID : event.Actor?.Attributes?.name;
        if (!name || !event.Type || !event.Action || !event.timeNano) continue;
        // Wall clock (ns) → this process's monotonic clock; both read the same system clock.
        events.push({
          at: event.timeNano / 1e6 - performance.timeOrigin,
          type: event.Type,
          action: event.Action,
          name,
        });
        if (events.length > 20_000) events.splice(0, 10_000);
      } catch {
        // not an event line
      }
    }
  });
  stream.on('error', () => undefined);
  return { of: (names, since) => events.filter((event) => names.includes(event.name) && event.at >= since - 50) };
}
