import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig as loadFrom } from './config';

const loadConfig = (env: Record<string, string>) => loadFrom(env as NodeJS.ProcessEnv);

describe('settings added for issue 17', () => {
  it('parses PREVIEW_PORTS ranges and refuses nonsense', () => {
    expect(loadConfig({}).PREVIEW_PORTS).toEqual([[1024, 65535]]);
    expect(loadConfig({ PREVIEW_PORTS: '3000, 5173,8000-8100' }).PREVIEW_PORTS).toEqual([
      [3000, 3000],
      [5173, 5173],
      [8000, 8100],
    ]);
    for (const bad of ['', '0-10', '9000-8000', '70000', 'http'])
      expect(() => loadConfig({ PREVIEW_PORTS: bad })).toThrow(ConfigError);
  });

  it('lists BERTH_ALLOWED_HOSTS lowercased and defaults SOCKETS_MAX_PER_USER to 50', () => {
    const config = loadConfig({ BERTH_ALLOWED_HOSTS: ' IDE.Example.com, 10.0.0.5:3000 ,' });
    expect(config.BERTH_ALLOWED_HOSTS).toEqual(['ide.example.com', '10.0.0.5:3000']);
    expect(config.SOCKETS_MAX_PER_USER).toBe(50);
  });

  it('wants SMTP_URL when email verification is required', () => {
    expect(() => loadConfig({ REQUIRE_EMAIL_VERIFICATION: 'true' })).toThrow(/needs SMTP_URL/);
    expect(
      loadConfig({ REQUIRE_EMAIL_VERIFICATION: 'true', SMTP_URL: 'smtp://127.0.0.1:2525' }).REQUIRE_EMAIL_VERIFICATION,
    ).toBe(true);
  });
});
