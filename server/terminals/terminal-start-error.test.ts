import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors';
import { terminalStartError } from './terminal-start-error';

describe('terminalStartError', () => {
  it.each([
    "could not start the terminal's tmux session: sh: 1: Cannot fork",
    'fork: retry: Resource temporarily unavailable',
    'OCI runtime exec failed: exec failed: unable to start container process: read init-p: connection reset by peer: unknown',
  ])('names the process limit for %s', (detail) => {
    const error = terminalStartError(new Error(detail));
    expect(error.code).toBe('terminal_start_failed');
    expect(error.message).toMatch(/process limit/);
  });

  it('passes any other reason through, and keeps a DomainError as it is', () => {
    expect(terminalStartError(new Error('no such container')).message).toBe(
      'The terminal could not start: no such container',
    );
    const domain = new DomainError('not_found', 'not_found', 'gone');
    expect(terminalStartError(domain)).toBe(domain);
  });
});
