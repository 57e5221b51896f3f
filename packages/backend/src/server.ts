import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type PalcoApp } from './app.js';
import { bootstrap, refusePublicDemoCode, type BootstrapReport } from './bootstrap.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { migrate } from './db/migrate.js';
import { SocketHub } from './realtime/hub.js';
import { startRetention } from './services/retention.js';
import { createDeps } from './services.js';

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  app: PalcoApp;
  hub: SocketHub;
  http: Server;
  bootstrapReport: BootstrapReport;
  /**
   * Stops gracefully within `timeoutMs`: no new connections, the sockets' commands answered
   * and the sockets closed with 1012, in-flight HTTP requests finished, analytics written,
   * then Redis and the database closed. Resolves true when nothing was left undone.
   */
  shutdown(timeoutMs?: number): Promise<boolean>;
  /** shutdown() with the default time, for tests and embedders that need no verdict. */
  close(): Promise<void>;
}

/** How long a graceful shutdown may take by default; `palco serve` exits by force at 30 s. */
export const shutdownTimeoutMs = 25_000;

/** Migrates, bootstraps, and listens: HTTP and the socket hub on one port. */
export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createDeps(config);
  await migrate(deps.db, { log: (message) => deps.logger.info(message) });
  const bootstrapReport = await bootstrap(config);
  await refusePublicDemoCode(config);
  deps.webhooks.start();
  deps.outbox.start();
  deps.metrics.start();
  const stopRetention = startRetention(deps);
  const app = createApp(deps);
  const hub = new SocketHub(deps, config.realtime);
  app.ws.use(hub.middleware());
  const http = await new Promise<Server>((resolve, reject) => {
    const server = app.listen(config.port, config.host, () => resolve(server));
    server.once('error', reject);
  });
  http.on('request', deps.arrivals.hit);
  http.on('upgrade', deps.arrivals.hit);
  const { port } = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let stopping: Promise<boolean> | null = null;
  const shutdown = (timeoutMs = shutdownTimeoutMs) => {
    stopping ??= stopGracefully(timeoutMs);
    return stopping;
  };
  const stopGracefully = async (timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    deps.lifecycle.accepting = false;
    // No new connections; idle keep-alive ones close now, busy ones after their response.
    const httpDone = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    const hubDone = await hub.close(deadline - 2_000);
    let timer: NodeJS.Timeout | undefined;
    const httpInTime = await Promise.race([
      httpDone.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - 1_500 - Date.now())))),
    ]);
    clearTimeout(timer);
    if (!httpInTime) {
      deps.logger.error('HTTP requests still running at the shutdown deadline: closing their connections');
      http.closeAllConnections();
    }
    await deps.webhooks.close();
    stopRetention();
    await deps.outbox.close();
    deps.metrics.close();
    await deps.presence.close();
    await deps.bus.close();
    await deps.db.close();
    return hubDone && httpInTime;
  };
  return {
    url: `http://${host}:${port}`,
    port,
    deps,
    app,
    hub,
    http,
    bootstrapReport,
    shutdown,
    async close() {
      await shutdown();
    },
  };
}
