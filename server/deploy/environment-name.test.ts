// Environment names are DNS labels inside d-<projectId>-<env>: no trailing dash, at most 31 characters.
import { describe, expect, it } from 'vitest';
import { environmentNameSchema, parseDeploymentLabel } from '../contracts';

describe('environment names', () => {
  it('accepts DNS-label names up to 31 characters', () => {
    for (const name of ['a', 'production', 'staging-2', 'a1', `a${'b'.repeat(30)}`])
      expect(environmentNameSchema.safeParse(name).success, name).toBe(true);
  });

  it('refuses a trailing dash, a leading digit or dash, capitals and 32 characters', () => {
    for (const name of ['staging-', 'a-', '-a', '1a', 'Prod', `a${'b'.repeat(31)}`, ''])
      expect(environmentNameSchema.safeParse(name).success, name).toBe(false);
    expect(parseDeploymentLabel('d-proj1-staging-')).toBeNull();
    expect(parseDeploymentLabel('d-proj1-staging-2')).toEqual({ projectId: 'proj1', environment: 'staging-2' });
  });
});
