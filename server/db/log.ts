import type { Logger } from 'pino';

/** The slice of a pino Logger this module uses; a full pino Logger satisfies it. */
export type DbLog = Pick<Logger, 'info' | 'warn' | 'error'>;
