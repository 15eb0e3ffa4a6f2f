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

describe('assistant settings (issue 11)', () => {
  it('leaves every provider unset by default and allows 25 steps per turn', () => {
    const config = loadConfig({});
    expect(config.AI_MAX_STEPS).toBe(25);
    expect([config.AI_OPENAI_BASE_URL, config.AI_OPENAI_API_KEY, config.AI_ANTHROPIC_API_KEY]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([config.AI_OLLAMA_URL, config.AI_DEFAULT_MODEL]).toEqual([undefined, undefined]);
  });

  it('takes provider URLs, keys and a <provider>:<model> default, and refuses others', () => {
    const config = loadConfig({
      AI_OPENAI_BASE_URL: 'http://localhost:1234/v1',
      AI_OPENAI_API_KEY: ' sk-1 ',
      AI_OLLAMA_URL: 'http://localhost:11434',
      AI_DEFAULT_MODEL: 'ollama:qwen2.5-coder:7b',
      AI_MAX_STEPS: '40',
    });
    expect(config).toMatchObject({
      AI_OPENAI_API_KEY: 'sk-1',
      AI_DEFAULT_MODEL: 'ollama:qwen2.5-coder:7b',
      AI_MAX_STEPS: 40,
    });
    expect(() => loadConfig({ AI_DEFAULT_MODEL: 'gpt-4.1' })).toThrow(/AI_DEFAULT_MODEL: <provider>:<model>/);
    expect(() => loadConfig({ AI_OLLAMA_URL: 'localhost:11434' })).toThrow(/AI_OLLAMA_URL/);
    expect(() => loadConfig({ AI_MAX_STEPS: '0' })).toThrow(ConfigError);
  });

  it('has context, output and rate limits, and a list of text-protocol models', () => {
    expect(loadConfig({})).toMatchObject({
      AI_CONTEXT_TOKENS: 32_000,
      AI_MAX_OUTPUT_TOKENS: 8192,
      AI_TURNS_PER_MINUTE: 10,
      AI_TEXT_PROTOCOL_MODELS: [],
    });
    expect(
      loadConfig({ AI_TEXT_PROTOCOL_MODELS: ' ollama:gemma:2b , openai:tiny,', AI_TURNS_PER_MINUTE: '3' }),
    ).toMatchObject({ AI_TEXT_PROTOCOL_MODELS: ['ollama:gemma:2b', 'openai:tiny'], AI_TURNS_PER_MINUTE: 3 });
    expect(() => loadConfig({ AI_TEXT_PROTOCOL_MODELS: 'gemma' })).toThrow(/AI_TEXT_PROTOCOL_MODELS/);
    expect(() => loadConfig({ AI_CONTEXT_TOKENS: '100' })).toThrow(ConfigError);
    expect(() => loadConfig({ AI_TURNS_PER_MINUTE: '0' })).toThrow(ConfigError);
  });
});
