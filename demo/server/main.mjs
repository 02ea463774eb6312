import { startServer, DEMO_USERS } from './app.mjs';
import { ConfigError, optionsFromEnv } from './config.mjs';

let options;
try {
  options = optionsFromEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`session-vault demo: ${error.message}\n`);
  process.exit(2);
}

let server;
try {
  server = await startServer(options);
} catch (error) {
  process.stderr.write(`session-vault demo: cannot start: ${error.message}\n`);
  process.exit(1);
}

process.stdout.write(`session-vault demo: ${server.url}\n`);
process.stdout.write(`demo users: ${DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ')}\n`);
if (options.test) process.stdout.write(`test support is ON (/test/* routes; second origin ${server.secondUrl})\n`);

const stop = async (signal) => {
  process.stdout.write(`session-vault demo: ${signal}, closing\n`);
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
