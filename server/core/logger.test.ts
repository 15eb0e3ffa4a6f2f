import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger('debug', stream), lines };
}

describe('createLogger', () => {
  it('writes JSON lines and redacts passwords, tokens, cookies and authorization headers', () => {
    const { log, lines } = capture();
    log.child({ requestId: 'r1' }).info(
      {
        password: 'hunter2-secret',
        user: { password: 'hunter3-secret' },
        token: 'berth_pat_abc',
        req: { headers: { cookie: 'next-auth.session-token=zzz', authorization: 'Bearer berth_pat_xyz' } },
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'hello', requestId: 'r1', service: 'berth', password: '[redacted]' });
    for (const secret of ['hunter2', 'hunter3', 'berth_pat_', 'session-token=zzz'])
      expect(lines[0]).not.toContain(secret);
  });

  it('redacts model provider keys, in settings and in provider options', () => {
    const { log, lines } = capture();
    log.info(
      {
        config: { AI_OPENAI_API_KEY: 'sk-openai-1', AI_ANTHROPIC_API_KEY: 'sk-ant-2', PORT: 3000 },
        AI_OPENAI_API_KEY: 'sk-openai-3',
        provider: { apiKey: 'sk-4' },
      },
      'settings',
    );
    expect(lines[0]).toContain('"PORT":3000');
    for (const secret of ['sk-openai-1', 'sk-ant-2', 'sk-openai-3', 'sk-4']) expect(lines[0]).not.toContain(secret);
  });

  it('redacts git tokens, as the credentials route takes them and as git gets them', () => {
    const { log, lines } = capture();
    log.info({ body: { host: 'github.com', token: 'ghp-1' }, credential: { username: 'u', password: 'ghp-2' } }, 'git');
    expect(lines[0]).toContain('github.com');
    for (const secret of ['ghp-1', 'ghp-2']) expect(lines[0]).not.toContain(secret);
  });
});
