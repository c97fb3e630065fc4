import { loadConfig } from './config.js';
import { startRuntime } from './runtime.js';
import { createLogger } from './shared/logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

try {
  const runtime = await startRuntime(config, logger);
  logger.info({ url: runtime.url }, 'listening');
  const lines = [
    '',
    `  Live chat is running at ${runtime.url}`,
    `  Dashboard for agents: ${runtime.url}/`,
    `  Widget demo page: ${runtime.url}/demo`,
    `  GraphQL API and GraphiQL: ${runtime.url}/graphql`,
    `  Health: ${runtime.url}/health   Readiness: ${runtime.url}/ready`,
  ];
  if (runtime.seeded) {
    lines.push(
      '',
      '  A demo account was created on this first run:',
      `    sign in to the dashboard with ${runtime.seeded.email} / ${runtime.seeded.password}`,
      `    widget key: ${runtime.seeded.widgetKey}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
