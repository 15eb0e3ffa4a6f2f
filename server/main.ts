// Process entry: read settings, start Next.js and Berth's server, stop cleanly on signals.
import { ConfigError, loadConfig } from './config';
import { createLogger } from './core/logger';
import { startBerthServer } from './berth-server';
import { createNextPages } from './pages/next-pages';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  // next-auth reads its base URL from the environment; Berth's setting is the source of truth.
  process.env.NEXTAUTH_URL = config.BERTH_URL;
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  const pages = await createNextPages({ dev: config.dev, dir: config.appDir });
  const server = await startBerthServer({ config, log, pages });

  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    // Snapshots (≤ 20 s each, in parallel) and the drain (≤ 5 s) fit in this.
    const force = setTimeout(() => process.exit(code || 1), 30_000);
    force.unref();
    try {
      await server.close({ graceful: reason === 'SIGTERM' || reason === 'SIGINT' });
      await pages.close();
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception');
    void stop('uncaughtException', 1);
  });
}

main().catch((error: unknown) => {
  console.error('Berth failed to start:', error instanceof Error ? error.message : error);
  if (error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
