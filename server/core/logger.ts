// Structured JSON logs. Secrets are redacted by path so a careless log call cannot leak them.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'body.password',
  'credentials',
  '*.credentials',
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
  // Model provider keys (issue 11), as settings or as a provider's options.
  'AI_OPENAI_API_KEY',
  '*.AI_OPENAI_API_KEY',
  'AI_ANTHROPIC_API_KEY',
  '*.AI_ANTHROPIC_API_KEY',
  'apiKey',
  '*.apiKey',
  // A user's own keys as PUT /api/v1/me/ai-settings takes them.
  'openaiApiKey',
  '*.openaiApiKey',
  'anthropicApiKey',
  '*.anthropicApiKey',
  // A user's git token (issue 13), as PUT /api/v1/me/git-credentials takes it and as git gets it.
  'credential',
  '*.credential',
  'credential.password',
  '*.credential.password',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'berth' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
