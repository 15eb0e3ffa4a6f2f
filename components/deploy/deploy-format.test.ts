import { describe, expect, it } from 'vitest';
import type { EnvironmentDto } from '@/server/contracts';
import { ApiError } from '../api-client';
import { deployErrorText, environmentState, formatDuration, rollbackBlocker } from './deploy-format';

const env = (current: EnvironmentDto['current']): EnvironmentDto => ({
  name: 'production',
  private: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  url: 'http://d-p1-production.localhost:3000/',
  plan: null,
  planEdited: false,
  current,
});

describe('deploy-format', () => {
  it('formats durations from milliseconds to minutes', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('describes an environment: never deployed, live and healthy, live but not answering, stopped', () => {
    expect(environmentState(env(null)).text).toBe('Not deployed yet');
    expect(environmentState(env({ id: 'a', status: 'live', health: 'healthy' }))).toEqual({
      text: 'Live · healthy',
      tone: 'text-emerald-400',
    });
    expect(environmentState(env({ id: 'a', status: 'live', health: 'unhealthy' }))).toEqual({
      text: 'Live · not answering',
      tone: 'text-amber-300',
    });
    expect(environmentState(env({ id: 'a', status: 'stopped', health: null })).text).toBe('Stopped');
  });

  it('allows rollback only to an earlier deployment that went live and whose image is kept', () => {
    expect(rollbackBlocker({ id: 'a', status: 'superseded' }, 'b', true)).toBeNull();
    expect(rollbackBlocker({ id: 'a', status: 'superseded' }, 'b', undefined)).toBeNull();
    expect(rollbackBlocker({ id: 'a', status: 'superseded' }, 'b', false)).toMatch(/no longer kept/);
    expect(rollbackBlocker({ id: 'b', status: 'live' }, 'b', true)).toMatch(/serving/);
    expect(rollbackBlocker({ id: 'a', status: 'failed' }, 'b', true)).toMatch(/went live/);
  });

  it('says what to do about each refusal of the API', () => {
    const refusal = (status: number, error: string, message: string) => new ApiError(status, { error, message });
    expect(deployErrorText(refusal(409, 'deployment_in_progress', 'x'), '')).toMatch(/already under way/);
    expect(deployErrorText(refusal(429, 'quota_exceeded', 'At most 3'), '')).toMatch(/quota.*At most 3/);
    expect(deployErrorText(refusal(422, 'nothing_to_deploy', 'No package.json'), '')).toMatch(/Nothing to deploy/);
    expect(deployErrorText(refusal(409, 'not_rollbackable', 'gone'), '')).toMatch(/Cannot roll back.*gone/);
    expect(deployErrorText(refusal(500, 'internal', 'Boom'), 'fallback')).toBe('Boom');
    expect(deployErrorText(new Error(''), 'fallback')).toBe('fallback');
  });
});
