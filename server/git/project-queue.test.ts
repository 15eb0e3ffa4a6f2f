import { describe, expect, it } from 'vitest';
import { ProjectQueue } from './project-queue';

/** A task that records when it starts and ends, and finishes when `release` is called. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
    return name;
  };
  return { task, release };
}

describe('ProjectQueue', () => {
  it('runs one task at a time per key, in order, and keys side by side', async () => {
    const queue = new ProjectQueue();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const r1 = queue.run('a', a1.task);
    const r2 = queue.run('a', a2.task);
    const r3 = queue.run('b', b1.task);
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['start a1', 'start b1']);
    a2.release();
    b1.release();
    expect(await r3).toBe('b1');
    expect(log).not.toContain('start a2');
    a1.release();
    expect(await r1).toBe('a1');
    expect(await r2).toBe('a2');
    expect(log.filter((line) => / a\d/.test(line))).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('goes on after a failed task and forgets idle keys', async () => {
    const queue = new ProjectQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('index.lock')));
    const next = queue.run('a', () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('index.lock');
    expect(await next).toBe('next');
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(0);
  });
});
