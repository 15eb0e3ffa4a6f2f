// The SDK turns each tool's input schema into JSON Schema on every model call unless it is the
// same Schema object (which caches it): tools are built per turn, their schemas must not be.
import type { ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { createCommandTools } from './command-tools';
import { createFileTools } from './file-tools';

// Built only, never run: the services are not called while tools are made.
const fileTools = () =>
  createFileTools({
    files: {} as never,
    locks: {} as never,
    actor: { userId: 'u' },
    projectId: 'p',
    turnId: crypto.randomUUID(),
    signal: new AbortController().signal,
  }).tools;
const commandTools = () => createCommandTools({} as never);

describe("the assistant's tools", () => {
  it('share their input schemas between turns', () => {
    for (const build of [fileTools, commandTools] as (() => ToolSet)[]) {
      const [first, second] = [build(), build()];
      expect(Object.keys(first).length).toBeGreaterThan(0);
      for (const [name, tool] of Object.entries(first)) expect(tool.inputSchema, name).toBe(second[name]!.inputSchema);
    }
  });
});
