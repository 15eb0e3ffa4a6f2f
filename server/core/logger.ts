// Structured JSON logs. Secrets are redacted by path so a careless log call cannot leak them.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'berth', ...base }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
