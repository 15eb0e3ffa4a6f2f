import { describe, expect, it } from 'vitest';
import { DeploymentTargets, TARGET_TTL_MS, type DeploymentTarget } from './deployment-targets';

const live = (port: number): NonNullable<DeploymentTarget> => ({
  endpoint: { url: `http://127.0.0.1:${port}` },
  private: false,
  ownerId: 'u1',
});

function counted(answers: (DeploymentTarget | Error)[]) {
  const calls: string[] = [];
  let clock = 0;
  const targets = new DeploymentTargets(
    async (label) => {
      calls.push(label);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer ?? null;
    },
    () => clock,
  );
  return { targets, calls, advance: (ms: number) => (clock += ms) };
}

describe('DeploymentTargets', () => {
  it('shares one read among the connections of a second, and reads again after it', async () => {
    const { targets, calls, advance } = counted([live(1), live(2)]);
    const [a, b] = await Promise.all([targets.get('d-p-production'), targets.get('d-p-production')]);
    expect(a).toEqual(live(1));
    expect(b).toEqual(live(1));
    advance(TARGET_TTL_MS - 1);
    expect(await targets.get('d-p-production')).toEqual(live(1));
    expect(calls).toHaveLength(1);
    advance(1);
    expect(await targets.get('d-p-production')).toEqual(live(2));
    expect(calls).toHaveLength(2);
  });

  it('keeps "nothing there" as briefly, so a flood to an unknown label costs one read a second', async () => {
    const { targets, calls } = counted([null]);
    for (let i = 0; i < 50; i++) expect(await targets.get('d-nope-production')).toBeNull();
    expect(calls).toEqual(['d-nope-production']);
  });

  it('does not keep a failed read, and refresh reads at once (a new port after a restart)', async () => {
    const { targets, calls } = counted([new Error('database down'), live(1), live(2)]);
    await expect(targets.get('d-p-production')).rejects.toThrow('database down');
    expect(await targets.get('d-p-production')).toEqual(live(1));
    expect(await targets.refresh('d-p-production')).toEqual(live(2));
    expect(calls).toHaveLength(3);
  });

  it('forgets a label at once (its environment turned private)', async () => {
    const { targets, calls } = counted([live(1), { ...live(1), private: true }]);
    expect(await targets.get('d-p-production')).toEqual(live(1));
    targets.forget('d-p-production');
    expect(await targets.get('d-p-production')).toMatchObject({ private: true });
    expect(calls).toHaveLength(2);
  });

  it('keeps labels apart', async () => {
    const { targets } = counted([live(1), null]);
    expect(await targets.get('d-a-production')).toEqual(live(1));
    expect(await targets.get('d-b-production')).toBeNull();
  });
});
